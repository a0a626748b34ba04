import { describeKpiReference } from '../support/kpi-reference-suite';

describeKpiReference('stale');
