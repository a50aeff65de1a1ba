package contest

import (
	"errors"
	"strings"
	"testing"
)

// The table says what the store enforces: what a round in each status
// permits, and where each action leads.
func TestWorkflowTable(t *testing.T) {
	allowed := map[string][]Action{
		// Publishing and scheduling need a closed round; only the program
		// file publishes a historic round straight from draft or scoring.
		StatusDraft:     {ActScore, ActEditSetup, ActEditDetails, ActEditNote, ActClose, ActDecide, ActImportPublish},
		StatusScoring:   {ActScore, ActEditSetup, ActEditDetails, ActEditNote, ActClose, ActDecide, ActImportPublish},
		StatusClosed:    {ActEditDetails, ActEditNote, ActReopen, ActDecide, ActPublish, ActImportPublish, ActRequestPublish, ActApprove, ActSchedule},
		StatusPublished: {ActEditNote, ActCorrect, ActApprove},
		StatusCorrected: {ActEditNote, ActCorrect, ActApprove},
	}
	all := []Action{ActScore, ActEditSetup, ActEditDetails, ActEditNote, ActClose, ActReopen, ActDecide, ActPublish, ActImportPublish,
		ActRequestPublish, ActApprove, ActSchedule, ActCorrect}
	for _, status := range Statuses {
		for _, a := range all {
			want := false
			for _, b := range allowed[status] {
				want = want || a == b
			}
			if got := Allows(status, a); got != want {
				t.Errorf("Allows(%s, %s) = %v, want %v", status, a, got, want)
			}
			if err := CheckRound("r1", status, a); (err == nil) != want || (err != nil && !errors.Is(err, ErrRoundState)) {
				t.Errorf("CheckRound(%s, %s) = %v", status, a, err)
			}
		}
	}
	for _, c := range []struct {
		status string
		a      Action
		next   string
	}{
		{StatusDraft, ActScore, StatusScoring},
		{StatusScoring, ActScore, StatusScoring},
		{StatusScoring, ActClose, StatusClosed},
		{StatusClosed, ActReopen, StatusScoring},
		{StatusClosed, ActPublish, StatusPublished},
		{StatusClosed, ActRequestPublish, StatusClosed},
		{StatusClosed, ActApprove, StatusPublished},
		{StatusPublished, ActApprove, StatusCorrected},
		{StatusScoring, ActImportPublish, StatusPublished},
		{StatusPublished, ActCorrect, StatusCorrected},
		{StatusCorrected, ActCorrect, StatusCorrected},
	} {
		if next, ok := Next(c.status, c.a); !ok || next != c.next {
			t.Errorf("Next(%s, %s) = %s, %v; want %s", c.status, c.a, next, ok, c.next)
		}
	}
}

func TestRoundStateErrorHints(t *testing.T) {
	for _, c := range []struct {
		status string
		a      Action
		hint   string
	}{
		{StatusPublished, ActEditSetup, "correct its results instead"},
		{StatusClosed, ActScore, "reopen it first"},
		{StatusScoring, ActPublish, "close it first"},
		{StatusDraft, ActSchedule, "close it first"},
		{StatusDraft, ActCorrect, "only published results can be corrected"},
		{StatusScoring, ActReopen, "only a closed round can be reopened"},
	} {
		err := CheckRound("stage-1", c.status, c.a)
		if err == nil || !strings.Contains(err.Error(), "stage-1 is "+c.status) || !strings.HasSuffix(err.Error(), c.hint) {
			t.Errorf("CheckRound(%s, %s) = %v, want the hint %q", c.status, c.a, err, c.hint)
		}
	}
}
