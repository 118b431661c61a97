/**
 * An enterprise's last 24 months: complaints per month as bars (the sample size, always shown, so
 * a month of three complaints is not read as a trend) and the completion rate as a line, drawn only
 * for months with complaints. ECharts on a canvas, loaded with this page only; no tooltip (the
 * site's CSP forbids the inline styles ECharts gives it), the table below carries the numbers.
 */
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent } from 'echarts/components';
import { init, use } from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'preact/hooks';

use([BarChart, LineChart, GridComponent, LegendComponent, CanvasRenderer]);

export interface MonthPoint {
  month: string;
  complaints: number;
  completionRate: number;
}

export function TrendChart(props: { months: MonthPoint[]; label: string; complaints: string; completion: string }) {
  const { months, label, complaints, completion } = props;
  const container = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!container.current) return;
    const chart = init(container.current, undefined, { renderer: 'canvas' });
    chart.setOption({
      animation: false,
      legend: { top: 0 },
      grid: { left: 8, right: 8, top: 32, bottom: 8, containLabel: true },
      xAxis: { type: 'category', data: months.map((point) => point.month.slice(2)) },
      yAxis: [
        { type: 'value', name: 'n', minInterval: 1 },
        { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%' } },
      ],
      series: [
        {
          name: complaints,
          type: 'bar',
          data: months.map((point) => point.complaints),
          label: { show: true, position: 'top', fontSize: 10 },
          itemStyle: { color: '#9db8e8' },
        },
        {
          name: completion,
          type: 'line',
          yAxisIndex: 1,
          connectNulls: false,
          data: months.map((point) => (point.complaints > 0 ? Math.round(point.completionRate * 1000) / 10 : null)),
          itemStyle: { color: '#0b57d0' },
        },
      ],
    });
    const resize = () => chart.resize();
    window.addEventListener('resize', resize);
    return () => {
      window.removeEventListener('resize', resize);
      chart.dispose();
    };
  }, [months, complaints, completion]);
  return <div ref={container} class="trend-chart" role="img" aria-label={label} data-months={months.length} />;
}
