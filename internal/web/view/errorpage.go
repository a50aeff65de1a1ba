package view

// ErrorPage is the 404 and 500 page.
type ErrorPage struct {
	Page
	Status  int
	Heading string
	Message string
}
