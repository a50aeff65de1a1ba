// Package migrations embeds the numbered SQL migrations of the portal's
// schema, so the binary can migrate a database without the source tree.
package migrations

import "embed"

// FS holds every NNNNNN_title.up.sql and .down.sql file.
//
//go:embed *.sql
var FS embed.FS
