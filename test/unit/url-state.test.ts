/** Parsing figure state from a shared link: good values pass, bad ones fall back with a note. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseChoice, parseNearest, parsePoint, parseWhole } from '../../src/components/lib/url-state.ts';

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

test('a choice from the list is taken; anything else gives the fallback and lists the choices', () => {
  assert.deepEqual(parseChoice('fashion', ['mnist', 'fashion'], 'mnist', 'the dataset'), { value: 'fashion' });
  assert.deepEqual(parseChoice(undefined, ['mnist', 'fashion'], 'mnist', 'the dataset'), { value: 'mnist' });
  const p = parseChoice('cifar', ['mnist', 'fashion'], 'mnist', 'the dataset');
  assert.equal(p.value, 'mnist');
  assert.match(p.note!, /the dataset "cifar", which is not one of mnist, fashion; using mnist/);
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
