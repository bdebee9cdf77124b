package vault

import "github.com/casevault/casevault/vault/internal/bulk"

// The bulk import and export file formats live in vault/internal/bulk;
// these names are the API the CLI calls.

// Import file formats.
const (
	FormatCSV   = bulk.FormatCSV   // one case a row, columns of CSVColumns
	FormatJSONL = bulk.FormatJSONL // one JSON case document a line
	FormatYAML  = bulk.FormatYAML  // YAML case documents separated by lines "---"
)

// ImportOptions control Import and CheckImportFile.
type ImportOptions = bulk.Options

// An ImportReport says what an import did or would do.
type ImportReport = bulk.Report

// A RowError is one reason why a record of an import file was rejected.
type RowError = bulk.RowError

// An ImportFileError reports an import file that cannot be read at all,
// such as a CSV file with an unknown column. It is invalid input.
type ImportFileError = bulk.FileError

// A CSVColumn maps a column of an import CSV file to a field of the case
// model.
type CSVColumn = bulk.CSVColumn

// CSVColumns are the columns `import --format csv` understands (the
// fields of the embedded schema marked x-csv), built on first use.
var CSVColumns = bulk.CSVColumns

// QuarantineField is the top-level field an export record of a
// quarantined case carries (with [PlainExportOptions.IncludeQuarantined]);
// import strips it and quarantines the imported case.
const QuarantineField = bulk.QuarantineField

// PlainExportOptions are the options of [Vault.ExportWith].
type PlainExportOptions = bulk.ExportOptions

// maxImportRecord bounds one record of an import file.
const maxImportRecord = bulk.MaxRecord
