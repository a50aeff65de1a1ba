package format_test

import (
	"testing"
	"time"

	"github.com/kai-challenge/portal/internal/web/format"
)

// Every formatter gives the wanted text for its input.
func TestFormat(t *testing.T) {
	t.Parallel()
	day := time.Date(2026, 1, 15, 0, 0, 0, 0, time.UTC)
	// 05:00 UTC is 14:00 KST on the same day; 20:00 UTC is already the next day in Korea.
	noon := time.Date(2026, 1, 15, 5, 0, 0, 0, time.UTC)
	late := time.Date(2026, 1, 15, 20, 30, 0, 0, time.UTC)
	midnightKST := time.Date(2026, 2, 20, 0, 0, 0, 0, format.KST)
	for _, tc := range []struct {
		name, got, want string
	}{
		// Numbers get thousands separators.
		{"Number(0)", format.Number(0), "0"}, {"Number(7)", format.Number(7), "7"}, {"Number(999)", format.Number(999), "999"}, {"Number(1000)", format.Number(1000), "1,000"}, {"Number(1024)", format.Number(1024), "1,024"},
		{"Number(15000)", format.Number(15000), "15,000"}, {"Number(100000)", format.Number(100000), "100,000"}, {"Number(1234567)", format.Number(1234567), "1,234,567"}, {"Number(-1234)", format.Number(-1234), "-1,234"},
		// Points have two decimals, rounded half up; what is not a number stays.
		{"Points(90.2)", format.Points("90.2"), "90.20"}, {"Points(33.60)", format.Points("33.60"), "33.60"}, {"Points(25)", format.Points("25"), "25.00"}, {"Points(9.2)", format.Points("9.2"), "9.20"},
		{"Points(0)", format.Points("0"), "0.00"}, {"Points(28.555)", format.Points("28.555"), "28.56"}, {"Points(28.554)", format.Points("28.554"), "28.55"}, {"Points(x)", format.Points("x"), "x"},
		// Money in 억 and 조 in Korean, in bn and tn in English.
		{"Money(ko, 200_000_000_000)", format.Money("ko", 200_000_000_000), "2,000억원"}, {"Money(en, 200_000_000_000)", format.Money("en", 200_000_000_000), "₩200bn"}, {"Money(ko, 1_300_000_000_000)", format.Money("ko", 1_300_000_000_000), "1조 3,000억원"}, {"Money(en, 1_300_000_000_000)", format.Money("en", 1_300_000_000_000), "₩1.3tn"}, {"Money(ko, 1_000_000_000_000)", format.Money("ko", 1_000_000_000_000), "1조원"}, {"Money(en, 1_000_000_000_000)", format.Money("en", 1_000_000_000_000), "₩1tn"},
		{"Money(ko, 2_800_000_000)", format.Money("ko", 2_800_000_000), "28억원"}, {"Money(en, 2_800_000_000)", format.Money("en", 2_800_000_000), "₩2.8bn"}, {"Money(ko, 1_175_000_000)", format.Money("ko", 1_175_000_000), "11.75억원"}, {"Money(en, 1_175_000_000)", format.Money("en", 1_175_000_000), "₩1.175bn"}, {"Money(ko, 11_750_000_000)", format.Money("ko", 11_750_000_000), "117.5억원"}, {"Money(en, 11_750_000_000)", format.Money("en", 11_750_000_000), "₩11.75bn"},
		{"Money(ko, 18_210_000_000)", format.Money("ko", 18_210_000_000), "182.1억원"}, {"Money(en, 18_210_000_000)", format.Money("en", 18_210_000_000), "₩18.21bn"}, {"Money(ko, 10_000_000_000)", format.Money("ko", 10_000_000_000), "100억원"}, {"Money(en, 10_000_000_000)", format.Money("en", 10_000_000_000), "₩10bn"}, {"Money(ko, 560_000_000_000)", format.Money("ko", 560_000_000_000), "5,600억원"}, {"Money(en, 560_000_000_000)", format.Money("en", 560_000_000_000), "₩560bn"},
		{"Money(ko, 50_000_000)", format.Money("ko", 50_000_000), "5,000만원"}, {"Money(en, 50_000_000)", format.Money("en", 50_000_000), "₩50m"}, {"Money(ko, 9_000)", format.Money("ko", 9_000), "9,000원"}, {"Money(en, 9_000)", format.Money("en", 9_000), "₩9,000"}, {"Money(ko, 0)", format.Money("ko", 0), "0원"}, {"Money(en, 0)", format.Money("en", 0), "₩0"},
		// Dates and times are shown in Korea time.
		{"date ko", format.Date("ko", day), "2026년 1월 15일"},
		{"date en", format.Date("en", day), "15 Jan 2026"},
		{"datetime ko", format.DateTime("ko", noon), "2026년 1월 15일 14:00 KST"},
		{"datetime en", format.DateTime("en", noon), "15 Jan 2026, 14:00 KST"},
		{"datetime crosses midnight", format.DateTime("ko", late), "2026년 1월 16일 05:30 KST"},
		{"announce date only", format.Announcement("ko", midnightKST, true), "2026년 2월 20일"},
		{"announce date only en", format.Announcement("en", midnightKST.UTC(), true), "20 Feb 2026"},
		{"announce with time", format.Announcement("en", noon, false), "15 Jan 2026, 14:00 KST"},
		{"range same month ko", format.DateRange("ko", time.Date(2025, 7, 30, 0, 0, 0, 0, time.UTC), time.Date(2025, 7, 31, 0, 0, 0, 0, time.UTC)), "2025년 7월 30일 ~ 31일"},
		{"range ko", format.DateRange("ko", time.Date(2026, 1, 23, 0, 0, 0, 0, time.UTC), time.Date(2026, 2, 12, 0, 0, 0, 0, time.UTC)), "2026년 1월 23일 ~ 2월 12일"},
		{"range en", format.DateRange("en", time.Date(2026, 1, 23, 0, 0, 0, 0, time.UTC), time.Date(2026, 2, 12, 0, 0, 0, 0, time.UTC)), "23 Jan – 12 Feb 2026"},
		{"range years en", format.DateRange("en", time.Date(2025, 12, 30, 0, 0, 0, 0, time.UTC), time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC)), "30 Dec 2025 – 2 Jan 2026"},
	} {
		if tc.got != tc.want {
			t.Errorf("%s: got %q, want %q", tc.name, tc.got, tc.want)
		}
	}
}
