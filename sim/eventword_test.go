package sim

import "testing"

// TestEventWordSeesEveryField checks that the trace hash's word for an event changes
// when any field it covers changes, and when two fields exchange their values: the
// word is a difference detector for every field of the event.
func TestEventWordSeesEveryField(t *testing.T) {
	base := evBody{kind: evDeliver, node: 3, msg: Message{Type: MsgUser + 1, From: 2, To: 3,
		Subject: 4, Epoch: 5, Seq: 6, Token: 7, Time: 8}}
	const now = 1_000_000_007
	want := eventWord(now, &base)
	cases := []struct {
		name   string
		now    int64
		change func(b *evBody)
	}{
		{"time", now + 1, func(b *evBody) {}},
		{"kind", now, func(b *evBody) { b.kind = evTimer }},
		{"node", now, func(b *evBody) { b.node = 1 }},
		{"type", now, func(b *evBody) { b.msg.Type++ }},
		{"from", now, func(b *evBody) { b.msg.From = 1 }},
		{"subject", now, func(b *evBody) { b.msg.Subject = 1 }},
		{"epoch", now, func(b *evBody) { b.msg.Epoch++ }},
		{"seq", now, func(b *evBody) { b.msg.Seq++ }},
		{"seq's top bit", now, func(b *evBody) { b.msg.Seq |= 1 << 63 }},
		{"token", now, func(b *evBody) { b.msg.Token++ }},
		{"message time", now, func(b *evBody) { b.msg.Time++ }},
		{"epoch and token exchanged", now, func(b *evBody) { b.msg.Epoch, b.msg.Token = b.msg.Token, b.msg.Epoch }},
		{"seq and time exchanged", now, func(b *evBody) { b.msg.Seq, b.msg.Time = uint64(b.msg.Time), int64(b.msg.Seq) }},
		{"from and node exchanged", now, func(b *evBody) { b.node, b.msg.From = b.msg.From, b.node }},
		{"subject and from exchanged", now, func(b *evBody) { b.msg.Subject, b.msg.From = b.msg.From, b.msg.Subject }},
	}
	for _, c := range cases {
		b := base
		c.change(&b)
		if got := eventWord(c.now, &b); got == want {
			t.Errorf("%s: the event's word is unchanged (%#x)", c.name, got)
		}
	}
}
