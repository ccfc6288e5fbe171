/**
 * Line charts of the timeliness shares month by month, drawn to SVG on the server by Apache ECharts (no
 * script in the page). Each target group and the total is a series told apart by colour, dash and
 * symbol alike (never colour alone), each colour at least 3:1 against white. A hidden or empty month is a
 * gap: the chart is given the published cells only, so it cannot show more than they do.
 */
import { LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { h } from 'preact';
import { renderPart } from '../html/render.ts';

echarts.use([LineChart, GridComponent, LegendComponent, SVGRenderer]);

export interface ChartSeries {
  name: string;
  /** One value per month, in percent; `null` where nothing is shown. */
  values: (number | null)[];
}

const STYLES = [
  { color: '#0b5394', type: 'solid', symbol: 'circle' },
  { color: '#a13d00', type: [8, 4], symbol: 'rect' },
  { color: '#1b6e20', type: [2, 3], symbol: 'triangle' },
  { color: '#6a1b9a', type: [8, 3, 2, 3], symbol: 'diamond' },
  { color: '#000000', type: 'solid', symbol: 'emptyCircle', width: 3 },
] as const;

export const CHART_SIZE = { width: 640, height: 320 };
/** Where the plot area is, so that a point's height gives back its value (the tests read it so). */
export const CHART_GRID = { left: 56, right: 24, top: 24, bottom: 72 };

/**
 * One chart as an SVG element. `id` makes the SVG's internal ids unique on the page (and the output the
 * same for the same figures); `label` is its text alternative.
 */
export function lineChartSvg(options: {
  id: string;
  label: string;
  months: string[];
  series: ChartSeries[];
}): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, ...CHART_SIZE });
  try {
    chart.setOption({
      animation: false,
      textStyle: { color: '#1a1a1a', fontFamily: 'system-ui, sans-serif', fontSize: 13 },
      grid: { ...CHART_GRID, containLabel: false },
      legend: { bottom: 4, itemWidth: 28, textStyle: { color: '#1a1a1a' } },
      xAxis: {
        type: 'category',
        data: options.months,
        boundaryGap: true,
        axisLine: { lineStyle: { color: '#595959' } },
        axisLabel: { color: '#1a1a1a' },
      },
      yAxis: {
        type: 'value',
        min: 0,
        max: 100,
        interval: 20,
        axisLabel: { formatter: '{value} %', color: '#1a1a1a' },
        splitLine: { lineStyle: { color: '#d9d9d9' } },
      },
      series: options.series.map((series, i) => {
        const style = STYLES[i % STYLES.length] ?? STYLES[0];
        return {
          name: series.name,
          type: 'line',
          data: series.values,
          connectNulls: false,
          showSymbol: true,
          symbol: style.symbol,
          symbolSize: 8,
          color: style.color,
          lineStyle: { color: style.color, type: style.type, width: 'width' in style ? style.width : 2 },
          itemStyle: { color: style.color },
        };
      }),
    });
    // ECharts numbers its ids and classes across all charts made in the process: renumber them per chart, so
    // that ids are unique on the page and the same figures always give the same bytes.
    const classes = new Map<string, number>();
    return (
      chart
        .renderToSVGString()
        .replace(/zr\d+-/g, `${options.id}-`)
        .replace(/-cls-(\d+)/g, (_, n: string) => {
          if (!classes.has(n)) classes.set(n, classes.size);
          return `-cls-${classes.get(n)}`;
        })
        .replace('<svg ', labelledSvgTag(options.label))
        // The page allows no inline style but its own, by hash: ECharts' `<style>` holds only hover rules for
        // interactive charts, and its text styles are SVG presentation attributes by other names.
        .replace(/<style\b[^>]*>[\s\S]*?<\/style>/g, '')
        .replace(/ style="([^"]*)"/g, (_, declarations: string) =>
          declarations
            .split(';')
            .map((declaration) => declaration.split(':'))
            .filter(([property, value]) => property?.trim() && value?.trim())
            .map(([property, ...value]) => ` ${property?.trim()}="${value.join(':').trim()}"`)
            .join(''),
        )
    );
  } finally {
    chart.dispose();
  }
}

/**
 * The opening of the chart's `<svg` tag with its text alternative, its attributes written (and escaped) by
 * the service's one renderer: `<svg role="img" aria-label="…" focusable="false" `.
 */
const labelledSvgTag = (label: string) =>
  renderPart(h('svg', { role: 'img', 'aria-label': label, focusable: 'false' })).replace(/><\/svg>$/, ' ');
