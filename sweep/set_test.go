package sweep

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

func TestParseSet(t *testing.T) {
	for _, c := range []struct {
		flag   string
		values []string
		of     string
		div    float64
	}{
		{"lease=1s,2s,5s", []string{"1s", "2s", "5s"}, "", 0},
		{" lease = 1s , 2s ", []string{"1s", "2s"}, "", 0},
		{"lease=1s:3s:1s", []string{"1s", "2s", "3s"}, "", 0},
		{"lease=1s:3500ms:1s", []string{"1s", "2s", "3s"}, "", 0},
		{"loss=0:0.02:0.01", []string{"0", "0.01", "0.02"}, "", 0},
		{"renew=lease/4", nil, "lease", 4},
		{"guard=lease/2.5", nil, "lease", 2.5},
		{"expiry=timestamp", []string{"timestamp"}, "", 0},
	} {
		s, err := ParseSet(c.flag)
		if err != nil {
			t.Errorf("ParseSet(%q): %v", c.flag, err)
			continue
		}
		if !slices.Equal(s.Values, c.values) || s.Of != c.of || s.Div != c.div {
			t.Errorf("ParseSet(%q) = %+v, want values %v of %q div %v", c.flag, s, c.values, c.of, c.div)
		}
	}
}

func TestParseSetErrors(t *testing.T) {
	for _, c := range []struct{ flag, want string }{
		{"lease", "expected NAME="},
		{"lease=", "expected NAME="},
		{"=1s", "expected NAME="},
		{"Lease=1s", "not a parameter name"},
		{"lease=1s,,2s", "an empty value"},
		{"lease=1s:10s", "a range is FROM:TO:STEP (three parts, like 1s:10s:1s); got 2"},
		{"lease=1s:10s:1s:1s", "got 4"},
		{"lease=10s:1s:1s", "FROM <= TO"},
		{"lease=1s:10s:0s", "STEP > 0"},
		{"lease=1s:1000h:1ms", "3599999001 values; at most 10000 per --set"},
		{"loss=0:1:0.00001", "more than 10000 values"},
		{"loss=0:NaN:0.1", "three durations or three numbers"},
		{"loss=0:1:x", "three durations or three numbers"},
		{"renew=lease/0", "not a positive divisor"},
		{"renew=lease/-2", "not a positive divisor"},
		{"renew=lease/x", "not a positive divisor"},
	} {
		_, err := ParseSet(c.flag)
		if err == nil {
			t.Errorf("ParseSet(%q): no error, want %q", c.flag, c.want)
			continue
		}
		if !strings.Contains(err.Error(), c.want) || !strings.HasPrefix(err.Error(), "--set "+c.flag+": ") {
			t.Errorf("ParseSet(%q) = %q; want it to start with the flag and contain %q", c.flag, err, c.want)
		}
	}
}

// TestRangeCapIsAnError: a range of exactly MaxValues values is kept whole; one more is
// an error, never a cut.
func TestRangeCapIsAnError(t *testing.T) {
	s, err := ParseSet(fmt.Sprintf("lease=1ms:%dms:1ms", MaxValues))
	if err != nil || len(s.Values) != MaxValues {
		t.Fatalf("a range of %d values: %d values, %v", MaxValues, len(s.Values), err)
	}
	if _, err := ParseSet(fmt.Sprintf("lease=1ms:%dms:1ms", MaxValues+1)); err == nil {
		t.Errorf("a range of %d values is not an error", MaxValues+1)
	}
}
