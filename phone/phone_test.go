package phone

import "testing"

func TestParse(t *testing.T) {
	good := map[string]Number{
		"+86 138 0013 8000":      {E164: "+8613800138000", Mobile: true, China: true},
		"+8613800138000":         {E164: "+8613800138000", Mobile: true, China: true},
		"138-0013-8000":          {E164: "+8613800138000", Mobile: true, China: true},
		"13800138000":            {E164: "+8613800138000", Mobile: true, China: true},
		"１３８００１３８０００":            {E164: "+8613800138000", Mobile: true, China: true},
		"(0591)87654321":         {E164: "+8659187654321", China: true},
		"0591-87654321":          {E164: "+8659187654321", China: true},
		"0591-87654321转8001":     {E164: "+8659187654321", Extension: "8001", China: true},
		"010 1234 5678":          {E164: "+861012345678", China: true},
		"4008001234":             {E164: "+864008001234", China: true},
		"+44 20 7946 0958":       {E164: "+442079460958"},
		"  +86 (591) 8765-4321 ": {E164: "+8659187654321", China: true},
	}
	for text, want := range good {
		got, ok := Parse(text)
		if !ok || got != want {
			t.Errorf("Parse(%q) = %+v %v, want %+v", text, got, ok, want)
		}
	}
	for _, text := range []string{"", "   ", "phone", "12345", "23905910001", "1390591000", "139059100011", "0591-123", "110", "+86"} {
		if got, ok := Parse(text); ok {
			t.Errorf("Parse(%q) = %+v, want refused", text, got)
		}
	}
}
