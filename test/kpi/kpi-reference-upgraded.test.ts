import { describeKpiReference, LONDON } from '../support/kpi-reference-suite';

describeKpiReference('upgraded', ['UTC', LONDON]);
