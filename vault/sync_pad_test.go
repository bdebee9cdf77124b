package vault

import (
	"context"
	"fmt"
	"testing"

	"github.com/minio/minio-go/v7"
)

// The store operator sees object sizes: packs are padded to buckets, so
// vaults of 1, 5 and 20 cases upload packs of one size and the number of
// cases does not show (SECURITY.md, "What the store operator sees").
func TestSyncPackSizeHidesCaseCount(t *testing.T) {
	s := weedServer(t)
	c, err := s.Client()
	if err != nil {
		t.Fatal(err)
	}
	sizes := map[int][]int64{}
	for _, n := range []int{1, 5, 20} {
		_, v := coreInit(t, true)
		for i := 0; i < n; i++ {
			coreAdd(t, v, syncCase(fmt.Sprintf("Person Number%d", i)))
		}
		pfx := fmt.Sprintf("casevault/n%d", n)
		if _, err := v.AddRemote("org", "s3://padding/"+pfx, s.Endpoint, syncCreds); err != nil {
			t.Fatal(err)
		}
		mustSync(t, v)
		for o := range c.ListObjects(context.Background(), "padding", minio.ListObjectsOptions{Prefix: pfx + "/"}) {
			if o.Err != nil {
				t.Fatal(o.Err)
			}
			sizes[n] = append(sizes[n], o.Size)
		}
		if len(sizes[n]) != 1 {
			t.Fatalf("%d cases: objects %v, want one pack", n, sizes[n])
		}
	}
	if sizes[1][0] != sizes[5][0] || sizes[5][0] != sizes[20][0] {
		t.Fatalf("pack sizes differ by number of cases: %v", sizes)
	}
	t.Logf("pack size for 1, 5 and 20 cases: %d bytes", sizes[1][0])
}
