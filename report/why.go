// Causes: what held a task back over an interval, read from the trace, for
// the explanations and the evidence of expectations.

package report

import (
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/wmsim/wmsim/internal/event"
	"github.com/wmsim/wmsim/internal/sim"
)

// Cause is one thing holding a task back at an instant. Every cause is read
// from what the deciding code wrote in the trace (a scheduler's deferral
// and its blocked_by or gate name, a rejected call's code, the device's
// power and app state, the standby bucket), never worked out again here.
type Cause struct {
	// Cause names it: phone_off, force_stopped, rejected:<code>,
	// restricted_bucket, or the blocked_by / gate name of the scheduler's
	// deferral (network, charging, doze, light_doze, quota, battery_saver,
	// not_due, background_app_refresh, low_power_mode, usage_score, …).
	Cause string `json:"cause"`
	// Label is the cause in words: "Doze", "the app being force-stopped".
	Label string `json:"label"`
	// Since is when it was first recorded (seconds from the start).
	Since Seconds `json:"since"`
	// Reason is the deciding code's own words, with any moment in it that
	// is already past at the instant asked about marked "(passed)".
	Reason string `json:"reason"`
	// Source is the layer that decided ("android.jobscheduler", "device", …).
	Source string `json:"source"`
	// Until is what ends it, when that is known ("until the user opens
	// the app").
	Until string `json:"until,omitempty"`
	// PendingReason and StopReason are Android's own names
	// (JobScheduler.PENDING_JOB_REASON_*, JobParameters.STOP_REASON_*), when
	// the model recorded them.
	PendingReason string `json:"pending_reason,omitempty"`
	StopReason    string `json:"stop_reason,omitempty"`
}

// holdEnd are the task records after which an earlier deferral is no longer
// in force.
var holdEnd = map[event.Kind]bool{
	event.Ready: true, event.Started: true, event.Finished: true, event.Completed: true, event.Stopped: true,
	event.Cancelled: true, event.Enqueued: true, event.Submitted: true, event.Registered: true, event.Updated: true,
}

// causesAt lists what held st back at t, global causes first (the phone
// off, the app force-stopped, the restricted bucket), then the task's own
// (its last deferral still in force, a rejected request). It is empty when
// nothing held it back (or it was running).
func (m *model) causesAt(st *story, t time.Duration) []Cause {
	var out []Cause
	if seg, ok := m.segAt("power", t); ok && seg.Value == "off" {
		out = append(out, Cause{Cause: "phone_off", Label: "the phone being off", Since: Seconds(seg.From.Seconds()),
			Reason: orDash(seg.Reason), Source: "device", Until: "until the phone boots"})
	}
	if app, since, rec := m.appStateAt(t); app == "force_stopped" {
		c := Cause{Cause: "force_stopped", Label: classLabel("force_stopped"), Since: Seconds(since.Seconds()),
			Reason: rec, Source: "device", Until: "until the user opens the app"}
		// The scheduler's own record of what the force-stop did.
		for i := range m.Trace {
			r := &m.Trace[i]
			if r.At > t {
				break
			}
			if r.At >= since && r.Kind == event.ForceStopped {
				c.Reason, c.Source = r.Reason, string(string(r.Source))
			}
		}
		out = append(out, c)
	}
	if seg, ok := m.segAt("bucket", t); ok && seg.Value == "restricted" {
		out = append(out, Cause{Cause: "restricted_bucket", Label: classLabel("restricted_bucket"), Since: Seconds(seg.From.Seconds()),
			Reason: orDash(seg.Reason), Source: "android.standby"})
	}
	// The task's own: the last deferral or rejection not ended since.
	var last *sim.Record
	for _, r := range st.Records {
		if r.At > t {
			break
		}
		switch {
		case r.Kind == event.Deferred || r.Kind == event.Rejected:
			last = r
		case holdEnd[r.Kind]:
			last = nil
		}
	}
	for _, r := range []*sim.Record{last} {
		if r == nil {
			continue
		}
		since := r.At
		for _, h := range st.Holds {
			if h.From <= r.At && r.At <= h.To && h.Class == holdClass(r) {
				since = h.From
			}
		}
		c := Cause{Since: Seconds(since.Seconds()), Reason: pastMarked(orDash(r.Reason), t), Source: string(string(r.Source)),
			PendingReason: fieldStr(r, "pending_reason"), StopReason: fieldStr(r, "stop_reason")}
		if r.Kind == event.Rejected {
			code := fieldStr(r, "code")
			c.Cause, c.Label = "rejected:"+code, "the request being rejected ("+orDash(code)+")"
			c.Until = "until the app registers it again"
		} else {
			c.Cause = holdClass(r)
			c.Label = classLabel(c.Cause)
		}
		if dup := len(out) > 0 && out[len(out)-1].Cause == c.Cause; !dup {
			out = append(out, c)
		}
		out = append(out, moreUnmet(c, r)...)
	}
	return out
}

// moreUnmet are the causes of a deferral that names several unmet
// constraints (fields "unmet" and "unmet_pending", the first of them being
// its blocked_by, c): one cause for each of the others, with the record's
// reason, which names them all, and since when this set was recorded.
func moreUnmet(c Cause, r *sim.Record) []Cause {
	names := strings.Split(fieldStr(r, "unmet"), ",")
	pending := strings.Split(fieldStr(r, "unmet_pending"), ",")
	var out []Cause
	for i, n := range names {
		if n == "" || n == c.Cause {
			continue
		}
		o := c
		o.Cause, o.Label, o.Since, o.PendingReason = n, classLabel(n), Seconds(r.At.Seconds()), ""
		if i < len(pending) {
			o.PendingReason = pending[i]
		}
		out = append(out, o)
	}
	return out
}

// segAt is the segment of a device signal in force at t.
func (m *model) segAt(key string, t time.Duration) (seg, bool) {
	for _, s := range m.Signals {
		if s.Key != key {
			continue
		}
		for i := len(s.Segs) - 1; i >= 0; i-- {
			g := s.Segs[i]
			if g.From <= t && (t < g.To || (i == len(s.Segs)-1 && t == g.To)) {
				return g, true
			}
		}
	}
	return seg{}, false
}

// appStateAt is the app process state the device recorded last at or
// before t, since when, and the record's reason.
func (m *model) appStateAt(t time.Duration) (string, time.Duration, string) {
	state, since, reason := "", time.Duration(0), ""
	for i := range m.Trace {
		r := &m.Trace[i]
		if r.At > t {
			break
		}
		if r.Source != event.SourceDevice {
			continue
		}
		if v := fieldStr(r, "app"); v != "" && v != state {
			state, since, reason = v, r.At, r.Reason
		}
	}
	return state, since, reason
}

// offsetText matches a trace offset such as +05:02:29.260 or +1d02:00:00.
var offsetText = regexp.MustCompile(`\+(?:(\d+)d)?(\d+):(\d\d):(\d\d)(?:\.(\d{1,3}))?`)

// pastMarked marks each moment in s that is before t "(passed)", so that a
// reason written when it was true ("next run time +05:02:29") is never read
// as what comes next.
func pastMarked(s string, t time.Duration) string {
	return offsetText.ReplaceAllStringFunc(s, func(x string) string {
		g := offsetText.FindStringSubmatch(x)
		n := func(i int) time.Duration {
			v, _ := strconv.Atoi(g[i])
			return time.Duration(v)
		}
		d := n(1)*24*time.Hour + n(2)*time.Hour + n(3)*time.Minute + n(4)*time.Second
		if g[5] != "" {
			ms, _ := strconv.Atoi((g[5] + "00")[:3])
			d += time.Duration(ms) * time.Millisecond
		}
		if d < t {
			return x + " (passed)"
		}
		return x
	})
}

// causesText is the causes in one line.
func (m *model) causesText(cs []Cause) string {
	var parts []string
	for _, c := range cs {
		p := c.Label + " since " + fmtAt(m.Start, secDur(c.Since)) + ": " + c.Reason
		if c.Until != "" {
			p += " (" + c.Until + ")"
		}
		if c.PendingReason != "" {
			p += " [" + c.PendingReason + "]"
		}
		if c.StopReason != "" {
			p += " [" + c.StopReason + "]"
		}
		if c.Source != "" {
			p += "  [" + c.Source + "]"
		}
		parts = append(parts, p)
	}
	return strings.Join(parts, "; and ")
}

// globalHolds tells the spans when nothing of the app could run whatever
// its own state — the phone off, the app force-stopped (until the user
// opened it) — as the device recorded them: "the app was force-stopped
// for 4h (+5:00:00 → +9:00:00)". Empty when there were none.
func (m *model) globalHolds() string {
	var parts []string
	if seg := m.spans("power", "off"); len(seg) > 0 {
		parts = append(parts, "the phone was off "+seg)
	}
	// App states come from the device's records (field app).
	var from time.Duration
	in := false
	var spans []string
	flush := func(to time.Duration) {
		spans = append(spans, fmtDur(to-from)+" ("+fmtOffset(from)+" → "+fmtOffset(to)+")")
	}
	for i := range m.Trace {
		r := &m.Trace[i]
		if r.Source != event.SourceDevice {
			continue
		}
		v := fieldStr(r, "app")
		switch {
		case v == "force_stopped" && !in:
			from, in = r.At, true
		case v != "" && v != "force_stopped" && in:
			flush(r.At)
			in = false
		}
	}
	if in {
		flush(m.Horizon)
	}
	if len(spans) > 0 {
		parts = append(parts, "the app was force-stopped for "+strings.Join(spans, ", for ")+" (nothing runs until the user opens it)")
	}
	return strings.Join(parts, "; ")
}

// spans lists the segments of a device signal with the given value, as
// "for 2m (+2:00:00 → +2:02:00), …".
func (m *model) spans(key, value string) string {
	var out []string
	for _, s := range m.Signals {
		if s.Key != key {
			continue
		}
		for _, g := range s.Segs {
			if g.Value == value && g.To > g.From {
				out = append(out, fmtDur(g.To-g.From)+" ("+fmtOffset(g.From)+" → "+fmtOffset(g.To)+")")
			}
		}
	}
	if len(out) == 0 {
		return ""
	}
	return "for " + strings.Join(out, ", ")
}
