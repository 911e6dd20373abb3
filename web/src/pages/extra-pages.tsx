// Pages of the returns and stock features (their use cases: server/core/returns, server/core/stock).
import type { NavItem } from '../App.js';
import { ReturnsPage } from './ReturnsPage.js';
import { StockPage } from './StockPage.js';

export const extraPages: NavItem[] = [
  { path: '/stock', label: 'Stock', render: () => <StockPage /> },
  { path: '/returns', label: 'Return rules', render: () => <ReturnsPage /> },
];
