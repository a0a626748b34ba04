import { dailyRatio } from './figures';
import { KPI } from './kpi-client';
import type { SeriesCardSpec } from './series-card';

/**
 * The Active users, Sessions and Revenue tabs: one chart per KPI, straight from the API, or a
 * ratio of two KPIs day by day.
 */

const ratioOf = (answers: readonly (readonly (number | null)[])[]) =>
  dailyRatio(answers[0] ?? [], answers[1] ?? []);

export const ACTIVE_USERS: readonly SeriesCardSpec[] = [
  {
    id: 'dau',
    title: 'Daily active users (DAU)',
    help: 'Clients with a session on the day',
    format: 'count',
    lines: [{ key: 'dau', label: 'DAU', paths: [KPI.dau] }],
  },
  {
    id: 'mau',
    title: 'Monthly active users (MAU)',
    help: 'Clients with a session in the 30 days ending on the day',
    format: 'count',
    lines: [{ key: 'mau', label: 'MAU', paths: [KPI.mau] }],
  },
  {
    id: 'pdau',
    title: 'Daily paying users (PDAU)',
    help: 'Active users on the day who have purchased on or before it',
    format: 'count',
    lines: [{ key: 'pdau', label: 'PDAU', paths: [KPI.pdau] }],
  },
  {
    id: 'pmau',
    title: 'Monthly paying users (PMAU)',
    help: 'Monthly active users who have purchased on or before the day',
    format: 'count',
    lines: [{ key: 'pmau', label: 'PMAU', paths: [KPI.pmau] }],
  },
  {
    id: 'new-users',
    title: 'New users',
    help: 'Clients whose first session ever is on the day',
    format: 'count',
    lines: [{ key: 'new_users', label: 'New users', paths: [KPI.newUsers] }],
  },
  {
    id: 'lifetime-users',
    title: 'Lifetime users',
    help: 'Distinct clients over all events up to the day',
    format: 'count',
    lines: [{ key: 'lifetime_users', label: 'Lifetime users', paths: [KPI.lifetimeUsers] }],
  },
];

export const SESSIONS: readonly SeriesCardSpec[] = [
  {
    id: 'sessions',
    title: 'Sessions',
    help: 'Sessions started on the day',
    format: 'count',
    lines: [{ key: 'sessions', label: 'Sessions', paths: [KPI.sessions] }],
  },
  {
    id: 'sessions-per-user',
    title: 'Sessions per active user',
    help: 'Sessions ÷ DAU, day by day',
    format: 'decimal',
    lines: [
      {
        key: 'sessions_per_user',
        label: 'Sessions per user',
        paths: [KPI.sessions, KPI.dau],
        values: ratioOf,
      },
    ],
  },
];

export const REVENUE: readonly SeriesCardSpec[] = [
  {
    id: 'revenue',
    title: 'Daily revenue',
    help: 'Sum of _item_price over the day’s purchases (_monetization.purchase)',
    format: 'amount',
    lines: [{ key: 'revenue', label: 'Revenue', paths: [KPI.revenue] }],
  },
  {
    id: 'paying-users',
    title: 'Paying users (PDAU)',
    help: 'Active users on the day who have purchased on or before it',
    format: 'count',
    lines: [{ key: 'pdau', label: 'PDAU', paths: [KPI.pdau] }],
  },
  {
    id: 'arpdau',
    title: 'ARPDAU',
    help: 'Average revenue per daily active user: revenue ÷ DAU, day by day',
    format: 'amount',
    lines: [{ key: 'arpdau', label: 'ARPDAU', paths: [KPI.revenue, KPI.dau], values: ratioOf }],
  },
  {
    id: 'arppdau',
    title: 'ARPPDAU',
    help: 'Average revenue per daily paying user: revenue ÷ PDAU, day by day',
    format: 'amount',
    lines: [{ key: 'arppdau', label: 'ARPPDAU', paths: [KPI.revenue, KPI.pdau], values: ratioOf }],
  },
];
