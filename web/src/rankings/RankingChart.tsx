/**
 * A bar chart of the ranking page shown, drawn by ECharts on a canvas. Only the parts used are
 * imported (bar series, grid, canvas renderer), and this module is loaded only by /rankings. No
 * tooltip: ECharts writes tooltips as inline-styled HTML, which the site's CSP forbids; the table
 * next to the chart carries every number.
 */
import { BarChart } from 'echarts/charts';
import { GridComponent } from 'echarts/components';
import { init, use } from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'preact/hooks';

use([BarChart, GridComponent, CanvasRenderer]);

export interface Bar {
  name: string;
  value: number;
}

export function RankingChart({ bars, label }: { bars: Bar[]; label: string }) {
  const container = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!container.current) return;
    const chart = init(container.current, undefined, { renderer: 'canvas' });
    const reversed = [...bars].reverse(); // ECharts draws the first category at the bottom.
    chart.setOption({
      animation: false,
      grid: { left: 8, right: 24, top: 8, bottom: 8, containLabel: true },
      xAxis: { type: 'value' },
      yAxis: {
        type: 'category',
        data: reversed.map((bar) => bar.name),
        axisLabel: { width: 140, overflow: 'truncate' },
      },
      series: [{ type: 'bar', data: reversed.map((bar) => bar.value), itemStyle: { color: '#0b57d0' } }],
    });
    const resize = () => chart.resize();
    window.addEventListener('resize', resize);
    return () => {
      window.removeEventListener('resize', resize);
      chart.dispose();
    };
  }, [bars]);
  return (
    <div
      ref={container}
      class="ranking-chart"
      role="img"
      aria-label={label}
      data-bars={bars.length}
      style={{ height: `${Math.max(160, bars.length * 28 + 40)}px` }}
    />
  );
}
