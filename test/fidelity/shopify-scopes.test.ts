// Fidelity gate (issue 10): shopify.app.toml asks for exactly the scopes the app's GraphQL documents and
// webhook subscriptions need, per the `offline_scopes` that ship with Shopify's 2026-04 schema.
import fs from 'node:fs';
import path from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, collectAppDocuments } from '../sim/shopify/app-documents.js';
import { scopeReport } from '../sim/shopify/scope-analysis.js';

/**
 * Scopes the app may request although no document or topic lists them, each with its reason. Keep it short:
 * every entry is a scope the gate cannot justify by itself.
 */
const JUSTIFIED_SCOPES: Record<string, string> = {};

interface AppToml {
  access_scopes?: { scopes?: string };
  webhooks?: { subscriptions?: { topics?: string[]; compliance_topics?: string[] }[] };
}

const tomlPath = path.join(REPO_ROOT, 'shopify.app.toml');
const docs = (await collectAppDocuments()).map((d) => d.text);

function readToml(): { scopes: string[]; topics: string[] } {
  const toml = parseToml(fs.readFileSync(tomlPath, 'utf8')) as AppToml;
  const scopes = (toml.access_scopes?.scopes ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const topics = (toml.webhooks?.subscriptions ?? []).flatMap((s) => s.topics ?? []);
  return { scopes, topics };
}

describe('shopify.app.toml access_scopes vs. what the app uses', () => {
  it('shopify.app.toml exists and requests scopes', () => {
    expect(fs.existsSync(tomlPath), `${tomlPath} is missing`).toBe(true);
    expect(readToml().scopes.length).toBeGreaterThan(0);
  });

  it('every field the documents select and every subscribed topic is covered by a requested scope', () => {
    const { scopes, topics } = readToml();
    const report = scopeReport(scopes, docs, topics, JUSTIFIED_SCOPES);
    expect(report.missing.map((m) => `${m.by} needs one of ${m.anyOf.join('|')}`)).toEqual([]);
  });

  it('no requested scope goes unused', () => {
    const { scopes, topics } = readToml();
    expect(scopeReport(scopes, docs, topics, JUSTIFIED_SCOPES).unneeded).toEqual([]);
  });
});

describe('the scope gate itself', () => {
  const ORDER_DOC = 'query($id: ID!) { order(id: $id) { id name lineItems(first: 5) { nodes { sku quantity } } } }';
  const SET_DOC = `mutation($input: InventorySetQuantitiesInput!, $key: String!) {
    inventorySetQuantities(input: $input) @idempotent(key: $key) { inventoryAdjustmentGroup { id } userErrors { code } } }`;

  it('a missing scope is reported with the field that needs it', () => {
    const r = scopeReport(['read_orders'], [ORDER_DOC, SET_DOC], []);
    expect(r.missing.map((m) => m.by)).toContain('Mutation.inventorySetQuantities');
  });

  it('write_X covers read_X requirements', () => {
    const r = scopeReport(['read_orders', 'write_inventory'], [ORDER_DOC, SET_DOC], []);
    expect(r.missing).toEqual([]);
  });

  it('a scope nothing needs is reported, unless justified', () => {
    expect(scopeReport(['read_orders', 'write_themes'], [ORDER_DOC], []).unneeded).toEqual(['write_themes']);
    expect(scopeReport(['read_orders', 'write_themes'], [ORDER_DOC], [], { write_themes: 'test' }).unneeded).toEqual([]);
  });

  it('webhook topics need their resource scope (returns/* → read_returns)', () => {
    expect(scopeReport(['read_orders'], [ORDER_DOC], ['returns/approve']).missing.map((m) => m.by)).toEqual(['webhook returns/approve']);
    expect(scopeReport(['read_orders', 'read_returns'], [ORDER_DOC], ['returns/approve']).unneeded).toEqual([]);
  });
});
