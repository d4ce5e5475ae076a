package chart

import (
	"io"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"github.com/plconsole/plconsole/internal/testenv"
	"github.com/plconsole/plconsole/model"
	"github.com/plconsole/plconsole/ui/common"
)

func TestMain(m *testing.M) { testenv.Main(m, "plconsole-chart-", "NO_COLOR") }

var t0 = time.Date(2025, 3, 14, 12, 0, 0, 0, time.UTC)

func styles() *common.Styles {
	return common.NewStyles(lipgloss.NewRenderer(io.Discard), "dark", false)
}

func wave(n int, base float64) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = base * (1 + 0.5*math.Sin(float64(i)/15))
	}
	return out
}

func TestChartRendersAxesUnitsAndLegend(t *testing.T) {
	c := New(styles(), "Bytes processed", model.UnitBytesPerSecond, "by AZ")
	c.SetSize(70, 12)
	if v := ansi.Strip(c.View()); !strings.Contains(v, "loading…") {
		t.Fatalf("before data:\n%s", v)
	}
	c.SetData(t0, time.Minute, []Series{{Name: "us-east-1a", Values: wave(180, 2e6)}, {Name: "us-east-1b", Values: wave(180, 1e6)}})
	v := ansi.Strip(c.View())
	lines := strings.Split(v, "\n")
	if len(lines) != 12 {
		t.Fatalf("%d lines, want 12:\n%s", len(lines), v)
	}
	for i, l := range lines {
		if w := ansi.StringWidth(l); w != 70 {
			t.Fatalf("line %d is %d wide, want 70: %q", i, w, l)
		}
	}
	for _, want := range []string{"Bytes processed", "now ", "peak ", "by AZ", "MB/s", "12:00", "━━ us-east-1a", "━━ us-east-1b", "└"} {
		if !strings.Contains(v, want) {
			t.Errorf("chart lacks %q:\n%s", want, v)
		}
	}
	c.SetError("GetMetricData throttled (Throttling): retrying at the next poll")
	if v := ansi.Strip(c.View()); !strings.Contains(v, "Throttling") || strings.Contains(v, "MB/s") {
		t.Errorf("error chart:\n%s", v)
	}
	c.SetData(t0, time.Minute, []Series{{Name: "x", Values: []float64{math.NaN(), math.NaN()}}})
	if v := ansi.Strip(c.View()); !strings.Contains(v, "no datapoints") {
		t.Errorf("empty chart:\n%s", v)
	}
}

func TestSparkline(t *testing.T) {
	for _, tt := range []struct {
		vals  []float64
		width int
		want  string
	}{
		{[]float64{0, 1, 2, 3, 4, 5, 6, 7}, 8, "▁▂▃▄▅▆▇█"},
		{[]float64{0, 0, 7, 7}, 2, "▁█"},
		{[]float64{0, 0}, 3, "▁▁▁"},
		{nil, 3, "   "},
		{[]float64{math.NaN(), 4}, 2, "▁█"},
	} {
		if got := Sparkline(tt.vals, tt.width); got != tt.want {
			t.Errorf("Sparkline(%v, %d) = %q, want %q", tt.vals, tt.width, got, tt.want)
		}
	}
}

// BenchmarkChartFrame is one chart frame of a metrics tab at 120 columns: two series of a
// 3-hour window at one point a minute. Budget: < 5 ms a frame.
func BenchmarkChartFrame(b *testing.B) {
	c := New(styles(), "Active connections", model.UnitCount, "")
	series := []Series{{Name: "us-east-1a", Values: wave(180, 300)}, {Name: "us-east-1b", Values: wave(180, 200)}}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		c.SetData(t0, time.Minute, series)
		c.SetSize(118, 12)
		_ = c.View()
	}
}

// Line is the chart on one line: it sums the series, keeps the figures and fits the width.
func TestChartLine(t *testing.T) {
	c := New(styles(), "Bytes processed", model.UnitBytesPerSecond, "Sum")
	if l := ansi.Strip(c.Line(80)); !strings.Contains(l, "loading…") {
		t.Fatalf("before data: %q", l)
	}
	c.SetData(t0, time.Minute, []Series{{Name: "a", Values: []float64{1e6, 2e6, math.NaN()}}, {Name: "b", Values: []float64{1e6, 1e6, 4e6}}})
	l := ansi.Strip(c.Line(80))
	for _, want := range []string{"Bytes processed", "now 4 MB/s", "peak 4 MB/s", "Sum"} {
		if !strings.Contains(l, want) {
			t.Errorf("line lacks %q: %q", want, l)
		}
	}
	if w := ansi.StringWidth(l); w > 80 || strings.Contains(l, "\n") {
		t.Errorf("line is %d wide: %q", w, l)
	}
	if narrow := ansi.Strip(c.Line(30)); ansi.StringWidth(narrow) > 30 {
		t.Errorf("30 columns: %q", narrow)
	}
	c.SetError("GetMetricData throttled (Throttling)")
	if l := ansi.Strip(c.Line(80)); !strings.Contains(l, "Throttling") {
		t.Errorf("error line: %q", l)
	}
}

func TestLegendShortNamesWhenCrowded(t *testing.T) {
	c := New(styles(), "Active connections", model.UnitCount, "Average")
	series := []Series{
		{Name: "us-east-1a (use1-az4)", Short: "us-east-1a", Values: []float64{1, 2}},
		{Name: "us-east-1b (use1-az5)", Short: "us-east-1b", Values: []float64{2, 3}},
		{Name: "us-east-1c (use1-az2)", Short: "us-east-1c", Values: []float64{3, 1}},
	}
	c.SetData(t0, time.Minute, series)
	c.SetSize(100, 12)
	if v := ansi.Strip(c.View()); !strings.Contains(v, "us-east-1c (use1-az2)") {
		t.Fatalf("100 columns fit the names and ids:\n%s", v)
	}
	c.SetSize(50, 12)
	v := ansi.Strip(c.View())
	if strings.Contains(v, "(use1") || !strings.Contains(v, "━━ us-east-1c") {
		t.Fatalf("50 columns: the legend should use the short names:\n%s", v)
	}
}
