package web

import "github.com/kai-challenge/portal/internal/web/view"

// roundDownloads are the download buttons of a round page: its results,
// published figures (CSV) and results document (JSON) once published, and
// its JSON record in any case.
func (pr *pageReq) roundDownloads(slug string, published bool) []view.Link {
	var links []view.Link
	if published {
		links = append(links,
			view.Link{Text: pr.T("ux.downloads.results_csv"), URL: "/data/rounds/" + slug + "/results.csv"},
			view.Link{Text: pr.T("ux.downloads.scores_csv"), URL: "/data/rounds/" + slug + "/published-scores.csv"},
			view.Link{Text: pr.T("ux.downloads.results_json"), URL: apiPrefix + "/rounds/" + slug + "/results"},
		)
	}
	return append(links, view.Link{Text: pr.T("ux.downloads.round_json"), URL: apiPrefix + "/rounds/" + slug})
}

// teamDownloads are the download buttons of a team page: the team's JSON
// record, and the teams and outcomes tables (CSV) it is a row of.
func (pr *pageReq) teamDownloads(slug string) []view.Link {
	return []view.Link{
		{Text: pr.T("ux.downloads.team_json"), URL: apiPrefix + "/teams/" + slug},
		{Text: pr.T("ux.downloads.teams_csv"), URL: "/data/teams.csv"},
		{Text: pr.T("ux.downloads.outcomes_csv"), URL: "/data/outcomes.csv"},
	}
}
