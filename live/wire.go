package live

import (
	"fmt"
	"strconv"
	"strings"
)

// The holder → parent protocol: one event a line on the holder's stdout, words separated
// by single spaces. The parent stamps each line with its own clock when it reads it.
//
//	hello PID
//	session LEASE-ID-HEX
//	won REV KEY                  campaign won; the holder waits for "go REV" before acting
//	lost REV REASON              the holder stopped believing it leads
//	write REV SEQ                about to send write SEQ under epoch REV
//	write-ok REV SEQ REVISION    etcd accepted it at REVISION
//	write-rejected REV SEQ REVISION  the fence (create revision compare) failed
//	write-error REV SEQ TEXT...  no answer (timeout, cancel, connection error)
//	error TEXT...                a diagnostic
//
// The parent → holder protocol, on the holder's stdin: "go REV" after stamping "won REV".
// EOF on stdin tells the holder its parent is gone: it exits.
const (
	evHello         = "hello"
	evSession       = "session"
	evWon           = "won"
	evLost          = "lost"
	evWrite         = "write"
	evWriteOK       = "write-ok"
	evWriteRejected = "write-rejected"
	evWriteError    = "write-error"
	evError         = "error"

	cmdGo = "go"
)

// event is one parsed holder line.
type event struct {
	Kind     string
	Rev      int64  // the holder's leader key create revision: its epoch
	Seq      int64  // write sequence number
	Revision int64  // etcd revision of a write's answer
	Text     string // key, reason, lease ID, error text or PID
}

// String formats the event as its wire line (without the newline).
func (e event) String() string {
	switch e.Kind {
	case evWon:
		return fmt.Sprintf("%s %d %s", e.Kind, e.Rev, e.Text)
	case evLost:
		return fmt.Sprintf("%s %d %s", e.Kind, e.Rev, oneLine(e.Text))
	case evWrite:
		return fmt.Sprintf("%s %d %d", e.Kind, e.Rev, e.Seq)
	case evWriteOK, evWriteRejected:
		return fmt.Sprintf("%s %d %d %d", e.Kind, e.Rev, e.Seq, e.Revision)
	case evWriteError:
		return fmt.Sprintf("%s %d %d %s", e.Kind, e.Rev, e.Seq, oneLine(e.Text))
	}
	return e.Kind + " " + oneLine(e.Text)
}

// oneLine keeps free text on one line and never empty.
func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if s == "" {
		return "-"
	}
	return s
}

// parseEvent parses one holder line.
func parseEvent(line string) (event, error) {
	kind, rest, _ := strings.Cut(strings.TrimSpace(line), " ")
	e := event{Kind: kind}
	ints := func(n int) ([]int64, string, error) {
		f := strings.SplitN(rest, " ", n+1)
		if len(f) < n {
			return nil, "", fmt.Errorf("holder line %q: %s needs %d numbers", line, kind, n)
		}
		out := make([]int64, n)
		for i := range n {
			v, err := strconv.ParseInt(f[i], 10, 64)
			if err != nil {
				return nil, "", fmt.Errorf("holder line %q: field %d of %s is not an integer", line, i+1, kind)
			}
			out[i] = v
		}
		text := ""
		if len(f) > n {
			text = f[n]
		}
		return out, text, nil
	}
	switch kind {
	case evHello, evSession, evError:
		e.Text = rest
	case evWon, evLost:
		v, text, err := ints(1)
		if err != nil {
			return event{}, err
		}
		e.Rev, e.Text = v[0], text
	case evWrite:
		v, _, err := ints(2)
		if err != nil {
			return event{}, err
		}
		e.Rev, e.Seq = v[0], v[1]
	case evWriteOK, evWriteRejected:
		v, _, err := ints(3)
		if err != nil {
			return event{}, err
		}
		e.Rev, e.Seq, e.Revision = v[0], v[1], v[2]
	case evWriteError:
		v, text, err := ints(2)
		if err != nil {
			return event{}, err
		}
		e.Rev, e.Seq, e.Text = v[0], v[1], text
	default:
		return event{}, fmt.Errorf("holder line %q: unknown event %q", line, kind)
	}
	return e, nil
}

// resourceValue is what a leader writes to the resource key: who, under which epoch,
// which write. The parent's watch on the key decodes it.
type resourceValue struct {
	Holder string
	Epoch  int64
	Seq    int64
}

func (v resourceValue) String() string {
	return fmt.Sprintf("%s %d %d", v.Holder, v.Epoch, v.Seq)
}

func parseResourceValue(s string) (resourceValue, error) {
	f := strings.Fields(s)
	if len(f) != 3 {
		return resourceValue{}, fmt.Errorf("resource value %q: expected \"HOLDER EPOCH SEQ\"", s)
	}
	epoch, err1 := strconv.ParseInt(f[1], 10, 64)
	seq, err2 := strconv.ParseInt(f[2], 10, 64)
	if err1 != nil || err2 != nil {
		return resourceValue{}, fmt.Errorf("resource value %q: epoch and seq must be integers", s)
	}
	return resourceValue{Holder: f[0], Epoch: epoch, Seq: seq}, nil
}
