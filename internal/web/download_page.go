package web

import (
	"github.com/kai-challenge/portal/internal/postgres"
	"github.com/kai-challenge/portal/internal/web/view"
)

// dataPage lists every download, the JSON API with its OpenAPI document,
// and the Atom feeds.
func (pr *pageReq) dataPage(rounds []postgres.PublicRound) (view.DataPage, error) {
	// Shown addresses are absolute when the portal knows its own, so they
	// can be copied into scripts as they are.
	abs := func(path string) string { return pr.s.baseURL + path }
	file := func(id, path, format string) view.Download {
		return view.Download{Title: pr.T("data.file." + id), Description: pr.T("data.file." + id + ".desc"), URL: path, Address: abs(path), Format: format}
	}
	v := view.DataPage{
		Page: pr.page("data", pr.T("data.page.title")),
		Files: []view.Download{
			file("record", "/data/record.json", "JSON"),
			file("rounds", "/data/rounds.csv", "CSV"),
			file("outcomes", "/data/outcomes.csv", "CSV"),
			file("teams", "/data/teams.csv", "CSV"),
			file("memberships", "/data/memberships.csv", "CSV"),
			file("organizations", "/data/organizations.csv", "CSV"),
			file("budgets", "/data/budgets.csv", "CSV"),
			file("allocations", "/data/allocations.csv", "CSV"),
		},
		OpenAPIURL: apiPrefix + "/openapi.json",
	}
	for _, rd := range rounds {
		if !rd.Published {
			continue
		}
		base := "/data/rounds/" + rd.Slug
		v.Rounds = append(v.Rounds, view.RoundDownloads{
			Round: pr.roundLink(rd.Slug, rd.Name),
			Date:  pr.roundDate(rd),
			Files: []view.Download{
				file("results", base+"/results.csv", "CSV"),
				file("published_scores", base+"/published-scores.csv", "CSV"),
				file("statistics", base+"/statistics.csv", "CSV"),
				file("results_json", apiPrefix+"/rounds/"+rd.Slug+"/results", "JSON"),
			},
		})
	}
	for _, e := range []struct{ id, path string }{
		{"programs", "/programs"}, {"rounds", "/rounds"}, {"teams", "/teams"},
		{"organizations", "/organizations"}, {"budgets", "/budgets"},
	} {
		v.API = append(v.API, view.Download{Title: "GET " + apiPrefix + e.path, Description: pr.T("data.api." + e.id),
			URL: apiPrefix + e.path, Address: abs(apiPrefix + e.path), Format: "JSON"})
	}
	v.Feeds = []view.Download{
		{Title: pr.T("data.feed.ko"), Description: pr.T("data.feed.ko.desc"), URL: "/feed.atom", Address: abs("/feed.atom"), Format: "Atom"},
		{Title: pr.T("data.feed.en"), Description: pr.T("data.feed.en.desc"), URL: "/en/feed.atom", Address: abs("/en/feed.atom"), Format: "Atom"},
	}
	v.FeedPage = pr.L.URL("/feed")
	v.EmbedURL, v.EmbedSnippet = embedSnippet(abs(pr.L.URL("/embed/standings")), pr.T("ux.embed.title"))
	return v, nil
}
