import { createApp } from '../lib/app';

createApp().app.synth();
