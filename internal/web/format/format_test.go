package format_test

import (
	"testing"
	"time"

	"github.com/kai-challenge/portal/internal/web/format"
)

func TestNumber(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in   int64
		want string
	}{
		{0, "0"}, {7, "7"}, {999, "999"}, {1000, "1,000"}, {1024, "1,024"}, {15000, "15,000"},
		{100000, "100,000"}, {1234567, "1,234,567"}, {-1234, "-1,234"},
	} {
		if got := format.Number(tc.in); got != tc.want {
			t.Errorf("Number(%d) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestPoints(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ in, want string }{
		{"90.2", "90.20"}, {"33.60", "33.60"}, {"25", "25.00"}, {"9.2", "9.20"}, {"0", "0.00"},
		{"28.555", "28.56"}, {"28.554", "28.55"}, {"x", "x"},
	} {
		if got := format.Points(tc.in); got != tc.want {
			t.Errorf("Points(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestMoney(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in     int64
		ko, en string
	}{
		{200_000_000_000, "2,000억원", "₩200bn"},
		{1_300_000_000_000, "1조 3,000억원", "₩1.3tn"},
		{1_000_000_000_000, "1조원", "₩1tn"},
		{2_800_000_000, "28억원", "₩2.8bn"},
		{1_175_000_000, "11.75억원", "₩1.175bn"},
		{11_750_000_000, "117.5억원", "₩11.75bn"},
		{18_210_000_000, "182.1억원", "₩18.21bn"},
		{10_000_000_000, "100억원", "₩10bn"},
		{560_000_000_000, "5,600억원", "₩560bn"},
		{50_000_000, "5,000만원", "₩50m"},
		{9_000, "9,000원", "₩9,000"},
		{0, "0원", "₩0"},
	} {
		if got := format.Money("ko", tc.in); got != tc.ko {
			t.Errorf("Money(ko, %d) = %q, want %q", tc.in, got, tc.ko)
		}
		if got := format.Money("en", tc.in); got != tc.en {
			t.Errorf("Money(en, %d) = %q, want %q", tc.in, got, tc.en)
		}
	}
}

func TestDates(t *testing.T) {
	t.Parallel()
	day := time.Date(2026, 1, 15, 0, 0, 0, 0, time.UTC)
	// 05:00 UTC is 14:00 KST on the same day; 20:00 UTC is already the next day in Korea.
	noon := time.Date(2026, 1, 15, 5, 0, 0, 0, time.UTC)
	late := time.Date(2026, 1, 15, 20, 30, 0, 0, time.UTC)
	midnightKST := time.Date(2026, 2, 20, 0, 0, 0, 0, format.KST)
	for _, tc := range []struct {
		name, got, want string
	}{
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
