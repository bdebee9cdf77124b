package bundlefmt

import (
	"errors"
	"fmt"
)

// An ExportLimitError reports a bundle that export refuses to write
// because its recipient would refuse it: an import checks every bundle
// against DefaultLimits.
type ExportLimitError struct {
	Reason string
}

func (e *ExportLimitError) Error() string {
	return "bundle not written: every recipient would refuse it: " + e.Reason
}

// CheckExportLimits checks a manifest about to be signed against the
// limits a recipient applies (the same ParseManifest an import runs),
// naming evidence too large to travel in a bundle first.
func CheckExportLimits(m *Manifest, raw []byte, lim Limits) error {
	for _, e := range m.Entries {
		if e.Kind == KindEvidence && e.Size > lim.EvidenceSize {
			return &ExportLimitError{Reason: fmt.Sprintf("%s is %d bytes (%.1f GiB), more than the %d bytes (%d GiB) a bundle entry may hold; leave it out of the case's mistreatment[].evidence before sharing, or send the file another way",
				e.Name, e.Size, float64(e.Size)/(1<<30), lim.EvidenceSize, lim.EvidenceSize>>30)}
		}
	}
	if int64(len(raw)) > lim.Manifest {
		return &ExportLimitError{Reason: fmt.Sprintf("its manifest would be %d bytes, the limit is %d: export fewer cases at a time", len(raw), lim.Manifest)}
	}
	if _, err := ParseManifest(raw, lim); err != nil {
		var be *Error
		if errors.As(err, &be) {
			return &ExportLimitError{Reason: be.Msg + "; export fewer cases at a time"}
		}
		return err
	}
	return nil
}
