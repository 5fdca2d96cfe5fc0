package budget

import (
	"strings"
	"testing"
	"time"
)

func TestParse(t *testing.T) {
	tests := []struct {
		in      string
		want    time.Duration
		errPart string
	}{
		{"30m", 30 * time.Minute, ""},
		{"1h30m", 90 * time.Minute, ""},
		{"0", 0, "above zero"},
		{"0s", 0, "above zero"},
		{"-5m", 0, "above zero"},
		{"30", 0, "with a unit"},
		{"soon", 0, "with a unit"},
		{"", 0, "with a unit"},
	}
	for _, tt := range tests {
		d, err := Parse(tt.in)
		switch {
		case tt.errPart == "" && (err != nil || d != tt.want):
			t.Errorf("Parse(%q) = %v, %v; want %v", tt.in, d, err, tt.want)
		case tt.errPart != "" && (err == nil || !strings.Contains(err.Error(), tt.errPart)):
			t.Errorf("Parse(%q) error %v; want one saying %q", tt.in, err, tt.errPart)
		}
	}
}

// TestSpent: with a clock that moves one step per reading, a budget of n steps lets
// Spent say false n-1 times (Start reads the clock once), then true; a nil budget is
// never spent.
func TestSpent(t *testing.T) {
	c := &StepClock{Start: time.Unix(0, 0), Step: time.Second}
	b := Start(5*time.Second, c)
	var got []bool
	for i := 0; i < 6; i++ {
		got = append(got, b.Spent())
	}
	want := []bool{false, false, false, false, true, true}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("Spent readings %v, want %v", got, want)
		}
	}
	if b.For() != 5*time.Second {
		t.Errorf("For = %v", b.For())
	}
	var none *Budget
	if none.Spent() {
		t.Error("a nil budget is spent")
	}
}
