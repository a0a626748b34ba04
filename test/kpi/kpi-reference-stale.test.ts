import { describeKpiReference, LONDON, REFERENCE_ZONES } from '../support/kpi-reference-suite';

describeKpiReference('stale', [...REFERENCE_ZONES, LONDON]);
