import { createRoot } from 'react-dom/client';
import '@shopify/polaris/build/esm/styles.css';
import { App } from './App.js';

createRoot(document.getElementById('root')!).render(<App />);
