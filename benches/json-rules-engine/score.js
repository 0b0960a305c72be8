#!/usr/bin/env node
// The X Education `lead` scorecard (examples/real-data/x-education/playbook.yaml) written as
// json-rules-engine rules: one engine, nine rules with a priority and an event carrying the points.
// Reads the JSON Lines deals that `stagegate import` writes and prints one line per deal:
//
//   {"deal":"<id>","total":25,"band":"warm"}
//
// Usage: node score.js leads.jsonl > totals.jsonl   (`-` or nothing reads standard input)
//
// Semantics kept from stagegate: a rule that reads a missing field (or an empty text) does not
// match, the total is kept between 0 and 100, bands are cold 0, warm 25, hot 55. Missing fields are
// passed as `null` facts, so every operator below is false on them.
'use strict';

const fs = require('fs');
const readline = require('readline');
const { Engine } = require('json-rules-engine');

const FACTS = ['lead_origin', 'lead_source', 'website_seconds', 'occupation', 'last_activity', 'do_not_email'];

function rule(id, points, priority, conditions) {
  return { name: id, priority, conditions, event: { type: 'points', params: { rule: id, points } } };
}

const RULES = [
  rule('add_form_referral', 40, 9, {
    all: [{ fact: 'lead_origin', operator: 'equal', value: 'Lead Add Form' }],
  }),
  rule('chat_widget_source', -10, 8, {
    all: [{ fact: 'lead_source', operator: 'equal', value: 'Olark Chat' }],
  }),
  rule('long_website_time', 30, 7, {
    all: [{ fact: 'website_seconds', operator: 'greaterThanInclusive', value: 800 }],
  }),
  rule('medium_website_time', 15, 6, {
    all: [
      { fact: 'website_seconds', operator: 'greaterThanInclusive', value: 500 },
      { fact: 'website_seconds', operator: 'lessThan', value: 800 },
    ],
  }),
  rule('occupation_given', 10, 5, {
    all: [
      { fact: 'occupation', operator: 'notEqual', value: null },
      { fact: 'occupation', operator: 'notEqual', value: '' },
    ],
  }),
  rule('working_professional', 30, 4, {
    all: [{ fact: 'occupation', operator: 'equal', value: 'Working Professional' }],
  }),
  rule('recent_direct_contact', 25, 3, {
    all: [{ fact: 'last_activity', operator: 'in', value: ['SMS Sent', 'Had a Phone Conversation'] }],
  }),
  rule('stalled_last_activity', -20, 2, {
    all: [
      {
        fact: 'last_activity',
        operator: 'in',
        value: ['Olark Chat Conversation', 'Email Bounced', 'Converted to Lead'],
      },
    ],
  }),
  rule('opted_out_of_email', -15, 1, {
    all: [{ fact: 'do_not_email', operator: 'equal', value: true }],
  }),
];

function band(total) {
  if (total >= 55) return 'hot';
  if (total >= 25) return 'warm';
  return 'cold';
}

async function main() {
  const path = process.argv[2] || '-';
  const input = path === '-' ? process.stdin : fs.createReadStream(path);
  const lines = readline.createInterface({ input, crlfDelay: Infinity });
  const engine = new Engine(RULES, { allowUndefinedFacts: true });

  let pending = [];
  let size = 0;
  const flush = () => {
    if (pending.length) fs.writeSync(1, pending.join(''));
    pending = [];
    size = 0;
  };

  let number = 0;
  let bad = 0;
  for await (const line of lines) {
    number += 1;
    if (!line.trim()) continue;
    let deal;
    try {
      deal = JSON.parse(line);
    } catch (error) {
      process.stderr.write(`line ${number}: ${error.message}\n`);
      bad += 1;
      continue;
    }
    const fields = deal.fields || {};
    const facts = {};
    for (const name of FACTS) {
      const value = fields[name];
      facts[name] = value === undefined || value === '' ? null : value;
    }
    const { events } = await engine.run(facts);
    let total = 0;
    for (const event of events) total += event.params.points;
    total = Math.min(100, Math.max(0, total));
    const row = `${JSON.stringify({ deal: deal.id === undefined ? null : deal.id, total, band: band(total) })}\n`;
    pending.push(row);
    size += row.length;
    if (size >= 1 << 20) flush();
  }
  flush();
  process.exitCode = bad ? 2 : 0;
}

main().catch((error) => {
  process.stderr.write(`${error.stack || error}\n`);
  process.exit(2);
});
