/** The shared working-day calendar and Civil Code period counting (see calendar.ts). */
export * from './calendar.ts';
export * from './dates.ts';
