// Pages that depend on other features (returns rules, stock) are added here once those features exist.
import type { NavItem } from '../App.js';

export const extraPages: NavItem[] = [];
