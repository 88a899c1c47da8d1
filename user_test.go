package zhagen_test

import (
	"strings"
	"testing"

	"zhagen"
)

// TestRankLevel: ranks count from 1, lowest first; unknown is 0.
func TestRankLevel(t *testing.T) {
	for rank, want := range map[string]int{"科员": 1, "副科级": 2, "厅级": 6, "处长": 0} {
		if got := zhagen.RankLevel(rank); got != want {
			t.Errorf("%s: %d, want %d", rank, got, want)
		}
	}
}

// TestParsePhoneLength: a text of up to 40 characters is read.
func TestParsePhoneLength(t *testing.T) {
	text := "0591-87654321转8001" + strings.Repeat(" ", 40-18-4) + "-(1)"
	if n := len([]rune(text)); n != 40 {
		t.Fatalf("text of %d characters", n)
	}
	if _, msg := zhagen.ParsePhone(text); strings.Contains(msg, "不能超过") {
		t.Errorf("40 characters: %q", msg)
	}
	if _, msg := zhagen.ParsePhone(text + "1"); msg != "电话号码不能超过40个字符" {
		t.Errorf("41 characters: %q", msg)
	}
}
