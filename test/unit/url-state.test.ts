/** Parsing figure state from a shared link: good values pass, bad ones fall back with a note. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseChoice, parseClamped, parseNearest, parsePoint, parseStepped, parseWhole } from '../../src/components/lib/page/url-state.ts';

test('a point inside the plane is taken as it is; none gives the fallback without a note', () => {
  assert.deepEqual(parsePoint('1.5,-0.25', 3, [0, 0]), { value: [1.5, -0.25] });
  assert.deepEqual(parsePoint(undefined, 3, [0, 0]), { value: [0, 0] });
});

test('a point outside the plane is clamped to the nearest point inside, and says so', () => {
  const p = parsePoint('9,-4', 3, [0, 0]);
  assert.deepEqual(p.value, [3, -3]);
  assert.match(p.note!, /outside the plane shown/);
});

test('anything but two finite numbers gives the fallback and says why', () => {
  for (const raw of ['left', '1', '1,2,3', 'NaN,1', 'Infinity,0', '']) {
    const p = parsePoint(raw, 3, [0, 0]);
    assert.deepEqual(p.value, [0, 0], raw);
    assert.match(p.note!, /not two numbers/, raw);
  }
});

test('a whole number in range is taken; anything else gives the fallback and names the range', () => {
  assert.deepEqual(parseWhole('7', 0, 9, 0, 'the digit'), { value: 7 });
  for (const raw of ['12', '-1', '2.5', 'seven', '']) {
    const p = parseWhole(raw, 0, 9, 0, 'the digit');
    assert.equal(p.value, 0, raw);
    assert.match(p.note!, /must be a whole number from 0 to 9/, raw);
  }
});

test('a number in range is taken; one outside is clamped to the nearest end, and says so', () => {
  assert.deepEqual(parseClamped('0.5', -3, 3, 0, 'μ'), { value: 0.5 });
  assert.deepEqual(parseClamped(undefined, -3, 3, 0, 'μ'), { value: 0 });
  const high = parseClamped('5000', 1, 1000, 10, 'N');
  assert.equal(high.value, 1000);
  assert.match(high.note!, /N = 5000, outside 1 to 1000; showing 1000/);
  assert.equal(parseClamped('-7', -3, 3, 0, 'μ').value, -3);
});

test('anything but a finite number gives the fallback and says so', () => {
  for (const raw of ['many', '', 'NaN', 'Infinity', '1,2']) {
    const p = parseClamped(raw, 1, 1000, 10, 'N');
    assert.equal(p.value, 10, raw);
    assert.match(p.note!, /is not a number/, raw);
  }
});

test('a named option is taken; any other name gives the fallback and lists the options', () => {
  const options = ['bowl', 'wiggle', 'step'] as const;
  assert.deepEqual(parseChoice('step', options, 'bowl', 'the function'), { value: 'step' });
  assert.deepEqual(parseChoice(undefined, options, 'bowl', 'the function'), { value: 'bowl' });
  const p = parseChoice('cliff', options, 'bowl', 'the function');
  assert.equal(p.value, 'bowl');
  assert.match(p.note!, /not one of bowl, wiggle, step/);
});

test('a stepped number is clamped into range and onto its steps, with a note; a non-number falls back', () => {
  assert.deepEqual(parseStepped('0.3', 0, 1, 0.1, 0.5, 't'), { value: 0.3 });
  assert.deepEqual(parseStepped('9999', 0, 9999, 1, 0, 'the image'), { value: 9999 });
  const high = parseStepped('7', 0, 1, 0.1, 0.5, 't');
  assert.equal(high.value, 1);
  assert.match(high.note!, /outside 0 to 1/);
  const low = parseStepped('-20000', 0, 9999, 1, 0, 'the image');
  assert.equal(low.value, 0);
  const between = parseStepped('0.33', 0, 1, 0.1, 0.5, 't');
  assert.equal(between.value, 0.3);
  assert.match(between.note!, /between the steps/);
  for (const raw of ['abc', '', 'NaN', 'Infinity']) {
    const p = parseStepped(raw, 0, 1, 0.1, 0.5, 't');
    assert.equal(p.value, 0.5, raw);
    assert.match(p.note!, /not a number/, raw);
  }
});

test('a number is taken when it is an option, clamped outside the options, and moved to the nearest between them', () => {
  const rates = [0.0005, 0.001, 0.002, 0.005, 0.01, 0.1, 100];
  assert.deepEqual(parseNearest('0.002', rates, 0.002, 'learning rate'), { value: 0.002 });
  assert.deepEqual(parseNearest('2e-3', rates, 0.002, 'learning rate'), { value: 0.002 });
  const high = parseNearest('1000', rates, 0.002, 'learning rate');
  assert.equal(high.value, 100);
  assert.match(high.note!, /outside the panel's range, 0.0005 to 100; clamped to 100/);
  const low = parseNearest('0', rates, 0.002, 'learning rate');
  assert.equal(low.value, 0.0005);
  const between = parseNearest('0.003', rates, 0.002, 'learning rate');
  assert.equal(between.value, 0.002, 'log-nearest: 0.003 is nearer 0.002 than 0.005');
  assert.match(between.note!, /nearest, 0.002/);
  for (const raw of ['fast', '', 'NaN']) {
    const p = parseNearest(raw, rates, 0.002, 'learning rate');
    assert.equal(p.value, 0.002, raw);
    assert.match(p.note!, /not a number/, raw);
  }
});
