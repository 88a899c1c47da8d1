package zhagen

import (
	"encoding/json"
	"reflect"
	"testing"
)

// TestMessageRoundTrip: a notice's arguments survive the outbox's JSON
// with their kinds, so that %d and %s still format them.
func TestMessageRoundTrip(t *testing.T) {
	m := Msg("k", "诉求\"引号\"\n", int64(42), -7, 2.5, 1e21, "", true, int64(9007199254740993))
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	var got Message
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	want := []any{"诉求\"引号\"\n", int64(42), int64(-7), 2.5, 1e21, "", true, int64(9007199254740993)}
	if got.Key != "k" || !reflect.DeepEqual(got.Args, want) {
		t.Fatalf("round trip: %#v, want %#v", got.Args, want)
	}
	for _, bad := range []string{`{"key":"k","args":[tru]}`, `{"key":"k","args":["x]}`} {
		if err := json.Unmarshal([]byte(bad), &got); err == nil {
			t.Errorf("%s decoded", bad)
		}
	}
}

// TestMessageArgNumbers: an integer starting with 0 stays an integer; a
// number no float holds comes back as the JSON number it was.
func TestMessageArgNumbers(t *testing.T) {
	var got Message
	if err := json.Unmarshal([]byte(`{"key":"k","args":[0, 9, -0.5, 1e999, "0"]}`), &got); err != nil {
		t.Fatal(err)
	}
	want := []any{int64(0), int64(9), -0.5, json.Number("1e999"), "0"}
	if !reflect.DeepEqual(got.Args, want) {
		t.Fatalf("args %#v, want %#v", got.Args, want)
	}
}
