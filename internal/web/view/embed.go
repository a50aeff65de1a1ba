package view

// EmbedPage is the standings widget other sites frame: the teams still in
// by rank, and a link to the full standings.
type EmbedPage struct {
	Page
	In []Standing
	// Full is the absolute address of the full standings page.
	Full string
}
