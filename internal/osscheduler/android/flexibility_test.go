package android

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cockroachdb/datadriven"
	"github.com/stretchr/testify/assert"
)

// flexCmd runs the datadriven command
//
//	flex api=N [priority=min|low|default|high|max] [expedited] [user-initiated]
//	     [requires=charging,battery-not-low,idle] [net] [delay=D] [deadline=D]
//	     [attempts=N] [score=N] [fallback=D] [score-time=D] [percents=a,b,c,d]
//	     [at=T,T,…]
//
// on the FlexibilityController row of API N: the job (enqueued at 0) as
// JobStatus and FlexibilityController see it. fallback, score-time and
// percents stand for FlexibilityControllerTest's setDeviceConfig… overrides
// (KEY_FALLBACK_FLEXIBILITY_DEADLINE(S), …_ADDITIONAL_SCORE_TIME_FACTORS,
// KEY_PERCENTS_TO_DROP_…), applied to every priority.
func flexCmd(t *testing.T, d *datadriven.TestData) string {
	checkArgs(t, d, []string{"api", "priority", "requires", "delay", "deadline", "attempts", "score", "fallback",
		"score-time", "percents", "at"}, "expedited", "user-initiated", "net")
	api := 0
	j := flexJob{priority: priorityDefault}
	score := 0
	var at []time.Duration
	var overrideFallback, overrideScoreTime time.Duration
	var percents []int
	dur := func(k, v string) time.Duration {
		x, err := time.ParseDuration(v)
		if err != nil {
			d.Fatalf(t, "flex %s: %v", k, err)
		}
		return x
	}
	num := func(k, v string) int {
		x, err := strconv.Atoi(v)
		if err != nil {
			d.Fatalf(t, "flex %s: %v", k, err)
		}
		return x
	}
	for _, a := range d.CmdArgs {
		v := ""
		if len(a.Vals) > 0 {
			v = a.Vals[0]
		}
		switch a.Key {
		case "api":
			api = num(a.Key, v)
		case "priority":
			j.priority = -1
			for p, n := range priorityNames {
				if n == v {
					j.priority = jobPriority(p)
				}
			}
			if j.priority < 0 {
				d.Fatalf(t, "flex priority %q: want one of %v", v, priorityNames)
			}
		case "expedited":
			j.expedited = true
		case "user-initiated":
			j.userInitiated = true
		case "net":
			j.network = true
		case "requires":
			for _, c := range a.Vals {
				switch c {
				case "charging":
					j.required |= flexCharging
				case "battery-not-low":
					j.required |= flexBatteryNotLow
				case "idle":
					j.required |= flexIdle
				default:
					d.Fatalf(t, "flex requires %q: want charging, battery-not-low or idle", c)
				}
			}
		case "delay":
			j.earliest = dur(a.Key, v)
		case "deadline":
			j.deadline = dur(a.Key, v)
		case "attempts":
			j.attempts = num(a.Key, v)
		case "score":
			score = num(a.Key, v)
		case "fallback":
			overrideFallback = dur(a.Key, v)
		case "score-time":
			overrideScoreTime = dur(a.Key, v)
		case "percents":
			for _, s := range a.Vals {
				percents = append(percents, num(a.Key, s))
			}
		case "at":
			for _, s := range a.Vals {
				at = append(at, dur(a.Key, s))
			}
		}
	}
	p, ok := flexFor(api)
	if !ok {
		return fmt.Sprintf("API %d: no FlexibilityController\n", api)
	}
	for i := range p.fallback {
		if overrideFallback > 0 {
			p.fallback[i] = overrideFallback
		}
		if overrideScoreTime > 0 {
			p.scoreTime[i] = overrideScoreTime
		}
		if len(percents) == 4 {
			copy(p.percents[i][:], percents)
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "enabled by default: %t\n", p.enabledByDefault)
	if !p.hasFlexConstraint(&j) {
		b.WriteString("no flexible constraint\n")
		return b.String()
	}
	start := p.lifecycleStart(&j)
	end := p.lifecycleEnd(&j, start, score)
	applied := p.applied(&j)
	fmt.Fprintf(&b, "flexible constraint: %d applied; lifecycle %s → %s\n", applied, start, end)
	var drops []string
	for k := 0; ; k++ {
		tm, ok := p.nextDrop(j.priority, start, end, k, applied)
		if !ok {
			break
		}
		drops = append(drops, tm.String())
	}
	fmt.Fprintf(&b, "drops at: %s\n", strings.Join(drops, ", "))
	for _, now := range at {
		pc := percentAt(start, end, now)
		fmt.Fprintf(&b, "at %s: %d%%, %d required\n", now, pc, p.requiredAt(&j, score, now))
	}
	return b.String()
}

// levelsCmd prints the per-release rows the model keeps but does not apply
// (levels api=N): JobConcurrencyManager's per-package limits.
func levelsCmd(t *testing.T, d *datadriven.TestData) string {
	checkArgs(t, d, []string{"api"})
	api, err := strconv.Atoi(d.CmdArgs[0].Vals[0])
	if err != nil {
		d.Fatalf(t, "levels api: %v", err)
	}
	c := concurrencyFor(api)
	pk := pkgConcurrencyFor(api)
	return fmt.Sprintf("concurrency: screen on %d (BG %d), screen off %d (BG %d); per package: EJ %d, regular %d\n",
		c.totalOn, c.bgOn, c.totalOff, c.bgOff, pk.ej, pk.regular)
}

func TestFlexPolicyShippedOff(t *testing.T) {
	for api := 23; api <= 37; api++ {
		p, ok := flexFor(api)
		assert.Equal(t, api >= 34, ok, "API %d: FlexibilityController exists from API 34", api)
		assert.False(t, p.enabledByDefault, "API %d: every AOSP release ships flexibility off", api)
	}
}
