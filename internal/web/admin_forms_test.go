package web

import (
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// A typed form reads its inputs by tag, without surrounding space, a
// checkbox as set or not, and shows them back as the templates do.
func TestDecodeForm(t *testing.T) {
	t.Parallel()
	post := url.Values{"slug": {" r9 "}, "advance": {"3"}, "backfill": {"on"}, "name_ko": {"9차"}, "stray": {"x"}}
	r := httptest.NewRequest("POST", "/admin/rounds/new", strings.NewReader(post.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	var f roundForm
	decodeForm(r, &f)
	if f.Slug != "r9" || f.Advance != "3" || !f.Backfill || f.AnnounceDateOnly || f.Name.KO != "9차" {
		t.Errorf("decoded %+v", f)
	}
	got := formValues(&f)
	if got["backfill"] != "1" || got["announce_date_only"] != "" || got["slug"] != "r9" {
		t.Errorf("values %v", got)
	}
	if _, ok := got["stray"]; ok {
		t.Error("a posted value that is no input of the form was kept")
	}
	var m memberAddForm
	if diff := cmp.Diff([]string{"org", "role", "since", "until", "confidence", "note_ko", "note_en"}, formFields(&m)); diff != "" {
		t.Errorf("member add fields (-want +got):\n%s", diff)
	}
}

// Validate returns a message key per field the form itself refuses.
func TestConsoleFormsValidate(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		form consoleForm
		want map[string]string
	}{
		{"round ok", &roundForm{Slug: "r9", Advance: "3", AnnounceAt: "2031-05-01T10:00"}, map[string]string{}},
		{"round", &roundForm{Slug: "new", Advance: "", AnnounceAt: "2031-13-40T25:00"}, map[string]string{
			"slug": "records.invalid.slug_new", "advance": "admin.invalid.required", "announce_at": "admin.invalid.datetime"}},
		{"round places", &roundForm{Slug: "r9", Advance: "three"}, map[string]string{"advance": "records.invalid.whole"}},
		{"criterion", &criterionForm{PanelSize: "many"}, map[string]string{"panel_size": "records.invalid.whole"}},
		{"criterion direct", &criterionForm{}, map[string]string{}},
		{"budget", &budgetForm{Year: "20x6", fundingForm: fundingForm{AmountKRW: "12,3a"}}, map[string]string{
			"year": "records.invalid.whole", "amount_krw": "records.invalid.amount"}},
		{"budget ok", &budgetForm{Year: "2026", fundingForm: fundingForm{AmountKRW: "200,000,000,000"}}, map[string]string{}},
		{"allocation", &allocationForm{Quantity: "1.5", fundingForm: fundingForm{AmountKRW: "-3"}}, map[string]string{
			"quantity": "records.invalid.whole", "amount_krw": "records.invalid.amount"}},
		{"entry", &entryForm{}, map[string]string{"team": "admin.invalid.required"}},
		{"entry ok", &entryForm{Team: "t1"}, nil},
		{"organization", &orgForm{}, nil},
	} {
		if diff := cmp.Diff(tc.want, tc.form.Validate()); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tc.name, diff)
		}
	}
}

// A form's record reads the numbers Validate accepted.
func TestFormRecords(t *testing.T) {
	t.Parallel()
	b := (&budgetForm{Year: "2,026", fundingForm: fundingForm{AmountKRW: "200,000"}}).record()
	if b.Year != 2026 || b.AmountKRW == nil || *b.AmountKRW != 200000 {
		t.Errorf("budget %+v", b)
	}
	a := (&allocationForm{Quantity: "", fundingForm: fundingForm{AmountKRW: ""}}).record()
	if a.Quantity != nil || a.AmountKRW != nil {
		t.Errorf("an empty quantity or amount is not disclosed: %+v", a)
	}
	if q := (&allocationForm{Quantity: "1,000"}).record().Quantity; q == nil || *q != 1000 {
		t.Errorf("quantity %v", q)
	}
}
