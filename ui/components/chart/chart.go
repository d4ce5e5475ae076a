// Package chart draws CloudWatch series as terminal charts: a titled time-series line chart
// (braille lines from NimbleMarkets/ntcharts, with a time axis, a value axis in the metric's
// unit and a legend) and a one-line sparkline for tables. A chart renders once per change of
// data or size and keeps the text; View only returns it.
package chart

import (
	"math"
	"strings"
	"time"

	"github.com/NimbleMarkets/ntcharts/canvas"
	tslc "github.com/NimbleMarkets/ntcharts/linechart/timeserieslinechart"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"github.com/plconsole/plconsole/model"
	"github.com/plconsole/plconsole/ui/common"
)

// Series is one line of a chart: its legend name and one value per period (NaN: no data).
type Series struct {
	Name string
	// Short names the series in the legend when the names do not all fit on its line (a
	// zone's name without its id); "" keeps Name.
	Short  string
	Values []float64
}

// State is what a chart has to show.
type State int

const (
	Loading State = iota
	Ready
	Failed
)

// Chart is one titled chart.
type Chart struct {
	styles *common.Styles
	Title  string
	Unit   model.MetricUnit
	// Note is a dim remark after the title ("by AZ", "Average").
	Note string

	state  State
	err    string
	start  time.Time
	period time.Duration
	series []Series

	width, height int
	text          string
	dirty         bool
}

// New makes a chart; it shows "loading…" until SetData or SetError.
func New(styles *common.Styles, title string, unit model.MetricUnit, note string) *Chart {
	return &Chart{styles: styles, Title: title, Unit: unit, Note: note, dirty: true}
}

// SetData gives the chart its series: start is the first period's start.
func (c *Chart) SetData(start time.Time, period time.Duration, series []Series) {
	c.state, c.err, c.start, c.period, c.series, c.dirty = Ready, "", start, period, series, true
}

// SetError shows why the chart has no data (the data it had stays out of sight: a chart
// never shows old numbers as if they were current).
func (c *Chart) SetError(err string) { c.state, c.err, c.dirty = Failed, err, true }

// SetLoading shows the chart as waiting for data.
func (c *Chart) SetLoading() {
	if c.state != Loading {
		c.state, c.dirty = Loading, true
	}
}

// State is what the chart shows.
func (c *Chart) State() State { return c.state }

// Series is the chart's data.
func (c *Chart) Series() []Series { return c.series }

// SetStyles changes the theme.
func (c *Chart) SetStyles(st *common.Styles) { c.styles, c.dirty = st, true }

// SetSize sets the chart's box (title, plot, axis and legend included).
func (c *Chart) SetSize(w, h int) {
	if w != c.width || h != c.height {
		c.width, c.height, c.dirty = w, h, true
	}
}

// View is the chart, exactly width × height.
func (c *Chart) View() string {
	if c.dirty {
		c.text = c.render()
		c.dirty = false
	}
	return c.text
}

// palette are the line colours, in legend order.
var palette = []lipgloss.AdaptiveColor{
	{Light: "#0060c0", Dark: "#5fafff"}, {Light: "#b35c00", Dark: "#ffaf5f"}, {Light: "#007a4d", Dark: "#5fd787"},
	{Light: "#a3158f", Dark: "#d787d7"}, {Light: "#8a6d00", Dark: "#d7d75f"}, {Light: "#006b75", Dark: "#5fd7d7"},
}

func (c *Chart) render() string {
	if c.width <= 0 || c.height <= 0 {
		return ""
	}
	st := c.styles
	lines := []string{c.titleLine()}
	body := c.height - 1
	legend := ""
	if len(c.series) > 1 && body >= 5 {
		legend = c.legendLine()
		body--
	}
	switch {
	case c.state == Loading:
		lines = append(lines, st.Dim.Render("  loading…"))
	case c.state == Failed:
		for _, l := range common.WrapLines(c.err, max(c.width-2, 10)) {
			lines = append(lines, "  "+st.FlashError.Render(l))
		}
	case !c.hasData():
		lines = append(lines, st.Dim.Render("  no datapoints in this window"))
	case body >= 3:
		lines = append(lines, strings.Split(c.plot(body), "\n")...)
	}
	if legend != "" && c.state == Ready && c.hasData() {
		for len(lines) < c.height-1 {
			lines = append(lines, "")
		}
		lines = append(lines, legend)
	}
	for i := range lines {
		lines[i] = pad(common.FitLine(lines[i], c.width), c.width)
	}
	for len(lines) < c.height {
		lines = append(lines, strings.Repeat(" ", c.width))
	}
	return strings.Join(lines[:c.height], "\n")
}

// Line is the chart in one line of width cells, for a screen too short for the plot: the
// title, a sparkline of the series' sum and the now/peak figures (or why there is no data).
func (c *Chart) Line(width int) string {
	st := c.styles
	title := st.Title.Render(common.PadRight(common.Truncate(c.Title, 18), 18)) + " "
	var rest string
	switch {
	case c.state == Loading:
		rest = st.Dim.Render("loading…")
	case c.state == Failed:
		rest = st.FlashError.Render(c.err)
	case !c.hasData():
		rest = st.Dim.Render("no datapoints in this window")
	default:
		sum := make([]float64, c.points())
		for i := range sum {
			sum[i] = math.NaN()
			for _, s := range c.series {
				if i < len(s.Values) && !math.IsNaN(s.Values[i]) {
					if math.IsNaN(sum[i]) {
						sum[i] = 0
					}
					sum[i] += s.Values[i]
				}
			}
		}
		figures := strings.TrimPrefix(c.titleLine(), st.Title.Render(c.Title))
		// the same sparkline width on every line, so a column of them lines up
		spark := max(min(width-19-36, 40), 8)
		rest = c.lineStyle(0).Render(Sparkline(sum, spark)) + figures
	}
	return common.Truncate(title+rest, width)
}

func (c *Chart) hasData() bool {
	for _, s := range c.series {
		for _, v := range s.Values {
			if !math.IsNaN(v) {
				return true
			}
		}
	}
	return false
}

// titleLine is "Title  now 1.2 MB/s · peak 3.4 MB/s  note".
func (c *Chart) titleLine() string {
	st := c.styles
	out := st.Title.Render(c.Title)
	if c.state == Ready && c.hasData() {
		last, peak := math.NaN(), math.NaN()
		for i := 0; i < c.points(); i++ {
			sum, any := 0.0, false
			for _, s := range c.series {
				if i < len(s.Values) && !math.IsNaN(s.Values[i]) {
					sum += s.Values[i]
					any = true
				}
			}
			if any {
				last = sum
				if math.IsNaN(peak) || sum > peak {
					peak = sum
				}
			}
		}
		out += "  " + st.Bold.Render("now "+c.Unit.Format(last)) + st.Dim.Render(" · peak "+c.Unit.Format(peak))
	}
	if c.Note != "" {
		out += "  " + st.Dim.Render(c.Note)
	}
	return out
}

func (c *Chart) legendLine() string {
	line := func(short bool) string {
		var parts []string
		for i, s := range c.series {
			name := s.Name
			if short && s.Short != "" {
				name = s.Short
			}
			parts = append(parts, c.lineStyle(i).Render("━━")+" "+name)
		}
		return strings.Join(parts, "  ")
	}
	out := line(false)
	if ansi.StringWidth(out) > c.width {
		out = line(true)
	}
	return out
}

func (c *Chart) lineStyle(i int) lipgloss.Style {
	return c.styles.Dim.Foreground(palette[i%len(palette)])
}

func (c *Chart) points() int {
	n := 0
	for _, s := range c.series {
		n = max(n, len(s.Values))
	}
	return n
}

// plot draws the series with ntcharts: braille lines, the value axis in the chart's unit
// from 0 to a little above the peak, the time axis over the window.
func (c *Chart) plot(h int) string {
	n := c.points()
	end := c.start.Add(time.Duration(n) * c.period)
	peak := 0.0
	for _, s := range c.series {
		for _, v := range s.Values {
			if !math.IsNaN(v) && v > peak {
				peak = v
			}
		}
	}
	top := niceCeil(peak * 1.05)
	if top <= 0 {
		top = 1
	}
	layout := "15:04"
	if end.Sub(c.start) > 36*time.Hour {
		layout = "01/02"
	}
	unit := c.Unit
	m := tslc.New(c.width, h,
		tslc.WithTimeRange(c.start, end),
		tslc.WithYRange(0, top),
		tslc.WithXYSteps(max(c.width/14, 1), max(h/3, 1)),
		tslc.WithXLabelFormatter(func(_ int, v float64) string { return time.Unix(int64(v), 0).UTC().Format(layout) }),
		tslc.WithYLabelFormatter(func(_ int, v float64) string { return unit.Format(v) }),
		tslc.WithAxesStyles(c.styles.Dim, c.styles.Dim),
	)
	names := make([]string, 0, len(c.series))
	for i, s := range c.series {
		name := string(rune('a'+i%26)) + s.Name
		names = append(names, name)
		m.SetDataSetStyle(name, c.lineStyle(i))
		for k, v := range s.Values {
			if math.IsNaN(v) {
				continue
			}
			m.PushDataSet(name, tslc.TimePoint{Time: c.start.Add(time.Duration(k) * c.period), Value: v})
		}
	}
	m.DrawBrailleDataSets(names)
	return canvasView(&m.Canvas)
}

// canvasView renders a drawn canvas as ntcharts' View does, but styles runs of cells that
// share a colour at once instead of every cell on its own: a 120-column chart has ~1,300
// cells and a few dozen runs, which keeps a frame within its few-millisecond budget.
func canvasView(cv *canvas.Model) string {
	var b strings.Builder
	w, h := cv.Width(), cv.Height()
	b.Grow(w * h * 3)
	var run []rune
	for y := 0; y < h; y++ {
		if y > 0 {
			b.WriteByte('\n')
		}
		var style lipgloss.Style
		var fg lipgloss.TerminalColor
		flush := func() {
			if len(run) == 0 {
				return
			}
			if fg == nil {
				b.WriteString(string(run))
			} else {
				b.WriteString(style.Render(string(run)))
			}
			run = run[:0]
		}
		for x := 0; x < w; x++ {
			cell := cv.Cell(canvas.Point{X: x, Y: y})
			r := cell.Rune
			if r == 0 {
				r = ' '
			}
			cfg := cell.Style.GetForeground()
			if _, none := cfg.(lipgloss.NoColor); none || r == ' ' {
				cfg = nil
			}
			if cfg != fg {
				flush()
				style, fg = cell.Style, cfg
			}
			run = append(run, r)
		}
		flush()
	}
	return b.String()
}

// pad fills a line with spaces to the width, so a chart is a box its neighbours sit beside.
func pad(l string, w int) string {
	if n := ansi.StringWidth(l); n < w {
		return l + strings.Repeat(" ", w-n)
	}
	return l
}

// niceCeil rounds up to 1, 2 or 5 times a power of ten, so axis labels read well.
func niceCeil(v float64) float64 {
	if v <= 0 || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0
	}
	p := math.Pow(10, math.Floor(math.Log10(v)))
	for _, f := range []float64{1, 2, 5, 10} {
		if f*p >= v {
			return f * p
		}
	}
	return 10 * p
}

// sparkBlocks are the eight heights of a sparkline cell.
var sparkBlocks = []rune("▁▂▃▄▅▆▇█")

// Sparkline draws values as one line of width cells (each cell the mean of its share of the
// values), scaled to the largest; NaN and a flat zero draw as the lowest block, no data at
// all as spaces.
func Sparkline(values []float64, width int) string {
	if width <= 0 {
		return ""
	}
	if len(values) == 0 {
		return strings.Repeat(" ", width)
	}
	cells := make([]float64, width)
	peak := 0.0
	for i := range cells {
		lo, hi := i*len(values)/width, (i+1)*len(values)/width
		if hi <= lo {
			hi = min(lo+1, len(values))
		}
		sum, n := 0.0, 0
		for _, v := range values[lo:hi] {
			if !math.IsNaN(v) {
				sum += v
				n++
			}
		}
		if n > 0 {
			cells[i] = sum / float64(n)
		}
		peak = max(peak, cells[i])
	}
	var b strings.Builder
	for _, v := range cells {
		k := 0
		if peak > 0 {
			k = int(math.Round(v / peak * float64(len(sparkBlocks)-1)))
		}
		b.WriteRune(sparkBlocks[k])
	}
	return b.String()
}
