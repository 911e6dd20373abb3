import { createRoot } from 'react-dom/client';
import '@shopify/polaris/build/esm/styles.css';
import { prefetch } from './lib/api.js';
import { App } from './App.js';
import { LANDING_QUERY } from './pages/MappingsPage.js';

// The landing page's data is requested now, in parallel with React's first render.
if (['/', '/mappings'].includes(location.pathname)) prefetch(`/api/mappings${LANDING_QUERY}`);
prefetch('/api/alerts');

createRoot(document.getElementById('root')!).render(<App />);
