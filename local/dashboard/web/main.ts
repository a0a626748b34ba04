import 'uplot/dist/uPlot.min.css';
import './dashboard.css';
import { Dashboard } from './dashboard';

/** The dashboard page's entry: bundled by esbuild (see `../dashboard-page.ts`), run in the browser. */
const root = document.getElementById('app');
if (root) {
  const mode = document.body.dataset.mode === 'deployed' ? 'deployed' : 'local';
  void new Dashboard(root, mode).start();
}
