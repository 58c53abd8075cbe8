// tfscope graph viewer: reads the tfscope-graph/1 document embedded in the page, lays it out,
// draws it as SVG and handles pan, zoom, scope filter, search and the details panel.
// No libraries and no network. Layout is near-linear (a few sorts per container), so pages with
// thousands of nodes stay usable.
//
// Layout, left to right in the direction dependencies flow:
// - each scope is a horizontal band, in scope order from the top (base first), so edges that
//   cross scopes run downwards;
// - inside a band, each module is a box, nested as modules are; a box is laid out as one unit
//   in its parent, so boxes never overlap;
// - inside a band or box, items (resources and child boxes) get layers by longest path over the
//   edges between them (dependencies left of dependents), then sweeps order each layer by the
//   barycentre of the neighbours' heights and place it as close to them as overlaps allow.
//
// URL fragment: #search=TEXT, #scope=NAME[,NAME] (scopes shown) and #select=ADDRESS; the page
// keeps it up to date. Results are in the DOM for tests: <body data-hits data-visible
// data-ready>, and every node is <g class="node ..." data-address>, with class `hit` when it
// matches the search and `hidden` when its scope is filtered out.
(function () {
  'use strict';

  const G = JSON.parse(document.getElementById('graph-data').textContent);
  const svg = document.getElementById('canvas');
  const NS = svg.namespaceURI; // the SVG namespace, without writing its URL into the page
  const viewport = document.getElementById('viewport');

  // Geometry, in SVG units at zoom 1.
  const NODE_H = 28, PAD = 10, ICON = 16, GAP_Y = 10, GAP_X = 56;
  const BOX_PAD = 12, BOX_HEAD = 24, BAND_PAD = 24, BAND_HEAD = 52, BAND_GAP = 90;
  const MAX_LABEL = 56; // characters drawn; the full address is in the tooltip and panel
  const FONT = '12px system-ui, sans-serif', COST_FONT = '11px system-ui, sans-serif';
  const CROSS = '#8250df', MISSING = '#cf222e';

  // ---------------------------------------------------------------- model

  const scopes = G.scopes.slice().sort((a, b) => a.rank - b.rank);
  const scopeOf = new Map(scopes.map((s) => [s.name, s]));
  const groupOf = new Map((G.groups || []).map((g) => [g.id, g]));
  const nodes = G.nodes;
  const nodeOf = new Map(nodes.map((n) => [n.id, n]));
  // Edges whose ends are both in the document. `from` depends on `to`.
  const edges = G.edges.filter((e) => nodeOf.has(e.from) && nodeOf.has(e.to));
  for (const n of nodes) { n.deps = []; n.users = []; }
  for (const e of edges) {
    nodeOf.get(e.from).deps.push(e);
    nodeOf.get(e.to).users.push(e);
  }

  // ---------------------------------------------------------------- measuring

  const measure = (() => {
    const ctx = document.createElement('canvas').getContext('2d');
    let current = '';
    return (text, font) => {
      if (font !== current) { ctx.font = font; current = font; }
      return Math.ceil(ctx.measureText(text).width);
    };
  })();

  const clip = (s) => (s.length > MAX_LABEL ? s.slice(0, MAX_LABEL - 1) + '…' : s);

  // Deterministic money: $0.00 below $1,000, whole dollars with separators above.
  function money(v) {
    if (v === null || v === undefined) return '';
    if (v < 1000) return '$' + v.toFixed(2);
    return '$' + String(Math.round(v)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  }

  function nodeLabel(n) {
    let s = n.label || n.address;
    if ((n.kind === 'module' || n.kind === 'opaque_module') && n.resources > 1) s += ' · ' + n.resources;
    return clip(s);
  }

  for (const n of nodes) {
    n.text = nodeLabel(n);
    n.costText = G.cost ? money(n.monthly_usd) : '';
    n.textW = measure(n.text, FONT);
    n.w = PAD + (n.stateful ? ICON : 0) + n.textW +
      (n.costText ? 10 + measure(n.costText, COST_FONT) : 0) +
      (n.status === 'missing' ? ICON : 0) + PAD;
    n.h = NODE_H;
    n.key = n.id;
  }

  // ---------------------------------------------------------------- containers

  // A container is a band (one per scope, group null) or a module box inside a band. Boxes are
  // keyed by scope and group, so a module with resources in two scopes has a box in each band.
  const containers = new Map();
  function container(scope, group) {
    const key = scope + '\u0000' + (group || '');
    let c = containers.get(key);
    if (c) return c;
    const g = group ? groupOf.get(group) : null;
    c = {
      key: group || '', scope, group, label: g ? g.label : (group || scope),
      nodes: [], boxes: [], parent: null, depth: 0, x: 0, y: 0, w: 0, h: 0,
    };
    containers.set(key, c);
    if (group) {
      // Unknown parents are tolerated: the box then sits directly in the band.
      const parentGroup = g && g.parent && groupOf.has(g.parent) ? g.parent : null;
      c.parent = container(scope, parentGroup);
      c.parent.boxes.push(c);
      c.depth = c.parent.depth + 1;
    }
    return c;
  }
  const bands = scopes.map((s) => container(s.name, null));
  for (const n of nodes) {
    if (!scopeOf.has(n.scope)) continue; // a scope the document does not list: not drawn
    n.box = container(n.scope, n.group && groupOf.has(n.group) ? n.group : null);
    n.box.nodes.push(n);
  }
  const drawn = nodes.filter((n) => n.box);
  // Nodes by address too (#select= takes either); collapsed nodes share addresses, so ids win.
  const addressOf = new Map(drawn.map((n) => [n.address, n]));
  for (const n of drawn) addressOf.set(n.id, n);

  // The item that stands for node n inside container c (n itself, or the box of c holding it).
  function itemIn(n, c) {
    let item = n, box = n.box;
    while (box && box !== c) { item = box; box = box.parent; }
    return box === c ? item : null;
  }

  // Lowest common container of two nodes, or null when they are in different bands.
  function commonContainer(a, b) {
    let x = a.box, y = b.box;
    while (x.depth > y.depth) x = x.parent;
    while (y.depth > x.depth) y = y.parent;
    while (x !== y) { x = x.parent; y = y.parent; if (!x || !y) return null; }
    return x;
  }

  // Edges between items of one container: dependency item -> dependent item, lifted once.
  const localEdges = new Map(); // container -> [[dep, user]]
  for (const e of edges) {
    const user = nodeOf.get(e.from), dep = nodeOf.get(e.to);
    if (!user.box || !dep.box) continue;
    const c = commonContainer(user, dep);
    if (c) {
      const a = itemIn(dep, c), b = itemIn(user, c);
      if (a !== b) {
        if (!localEdges.has(c)) localEdges.set(c, []);
        localEdges.get(c).push([a, b]);
      }
    }
  }

  // ---------------------------------------------------------------- layered layout

  const byKey = (a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
  const centre = (it) => it.y + it.h / 2;
  const mean = (xs) => xs.reduce((s, x) => s + x, 0) / xs.length;

  // Lays out the items of container c (its child boxes must be laid out already), setting
  // each item's x and y relative to c's content origin; returns the content's width and height.
  function layoutItems(c) {
    const items = c.nodes.concat(c.boxes).sort(byKey);
    if (!items.length) return [0, 0];
    const index = new Map(items.map((it, i) => [it, i]));
    const preds = items.map(() => []), succs = items.map(() => []);
    const seen = new Set();
    for (const [a, b] of localEdges.get(c) || []) {
      const i = index.get(a), j = index.get(b), k = i * items.length + j;
      if (seen.has(k)) continue;
      seen.add(k); preds[j].push(i); succs[i].push(j);
    }

    // Topological order by iterative depth-first search in key order; an edge back into the
    // current path (a cycle between modules) is ignored for layering.
    const state = new Uint8Array(items.length); // 0 new, 1 on path, 2 done
    const order = [], back = new Set();
    for (let s = 0; s < items.length; s++) {
      if (state[s]) continue;
      const stack = [[s, 0]];
      state[s] = 1;
      while (stack.length) {
        const top = stack[stack.length - 1], [v, k] = top;
        if (k < succs[v].length) {
          top[1]++;
          const w = succs[v][k];
          if (state[w] === 1) back.add(v * items.length + w);
          else if (state[w] === 0) { state[w] = 1; stack.push([w, 0]); }
        } else { state[v] = 2; order.push(v); stack.pop(); }
      }
    }
    order.reverse();

    // Longest path from the sources; then sources move right, next to their first dependent.
    const layer = new Int32Array(items.length);
    for (const v of order) for (const w of succs[v]) {
      if (!back.has(v * items.length + w)) layer[w] = Math.max(layer[w], layer[v] + 1);
    }
    for (let i = order.length - 1; i >= 0; i--) {
      const v = order[i];
      if (preds[v].length || !succs[v].length) continue;
      layer[v] = Math.max(layer[v], Math.min(...succs[v].map((w) => layer[w])) - 1);
    }
    // Items with no edges here ("loose") are packed in a grid below the layers.
    const layers = [], loose = [];
    items.forEach((it, i) => {
      if (!preds[i].length && !succs[i].length) loose.push(it);
      else (layers[layer[i]] = layers[layer[i]] || []).push(i);
    });
    for (let l = 0; l < layers.length; l++) layers[l] = layers[l] || [];

    // Places one layer: sort by wanted centre (items without one keep their order, after the
    // others), stack without overlap, then shift the column to sit on its wanted centres.
    function place(col, wanted) {
      const keyed = col.map((i, pos) => ({ i, pos, want: wanted(i) }));
      keyed.sort((a, b) => {
        const aw = isNaN(a.want), bw = isNaN(b.want);
        if (aw !== bw) return aw ? 1 : -1;
        return (aw ? 0 : a.want - b.want) || a.pos - b.pos;
      });
      let bottom = -Infinity, drift = 0, anchored = 0;
      for (const { i, want } of keyed) {
        const it = items[i];
        const y = isNaN(want) ? bottom + GAP_Y : Math.max(want - it.h / 2, bottom + GAP_Y);
        it.y = isFinite(y) ? y : 0;
        bottom = it.y + it.h;
        if (!isNaN(want)) { drift += want - centre(it); anchored++; }
      }
      const shift = anchored ? drift / anchored : 0;
      for (const { i } of keyed) items[i].y += shift;
      return keyed.map((k) => k.i);
    }
    const around = (list) => (i) => (list[i].length ? mean(list[i].map((j) => centre(items[j]))) : NaN);

    // Sweep right (by dependencies), left (by dependents), right again.
    for (let l = 0; l < layers.length; l++) layers[l] = place(layers[l], around(preds));
    for (let l = layers.length - 2; l >= 0; l--) {
      layers[l] = place(layers[l], (i) => {
        const ys = succs[i].map((j) => centre(items[j]));
        return ys.length ? mean(ys) : centre(items[i]);
      });
    }
    for (let l = 1; l < layers.length; l++) layers[l] = place(layers[l], around(preds));

    // Columns left to right; the content starts at y 0.
    let x = 0, top = Infinity, bottom = -Infinity;
    for (const col of layers) {
      let width = 0;
      for (const i of col) {
        items[i].x = x; width = Math.max(width, items[i].w);
        top = Math.min(top, items[i].y); bottom = Math.max(bottom, items[i].y + items[i].h);
      }
      x += width + GAP_X;
    }
    if (!isFinite(top)) top = bottom = 0;
    for (const it of items) it.y -= top;
    // Loose items in rows below the layers, as wide as the layers or as a grid about twice as
    // wide as high, whichever is wider.
    let width = Math.max(0, x - GAP_X), height = bottom - top;
    if (loose.length) {
      const area = loose.reduce((a, it) => a + (it.w + 2 * GAP_Y) * (it.h + GAP_Y), 0);
      const limit = Math.max(width, Math.sqrt(area * 2));
      let rx = 0, ry = height > 0 ? height + 2 * GAP_Y : 0, row = 0;
      for (const it of loose) {
        if (rx > 0 && rx + it.w > limit) { rx = 0; ry += row + GAP_Y; row = 0; }
        it.x = rx; it.y = ry;
        rx += it.w + 2 * GAP_Y; row = Math.max(row, it.h);
        width = Math.max(width, it.x + it.w);
      }
      height = ry + row;
    }
    return [width, height];
  }

  // Boxes bottom-up: deepest first, so a box's children have sizes when it is laid out.
  const boxes = [...containers.values()].filter((c) => c.group);
  boxes.sort((a, b) => b.depth - a.depth || byKey(a, b));
  for (const b of boxes) {
    const [w, h] = layoutItems(b);
    b.w = Math.max(w + 2 * BOX_PAD, measure(b.label, 'bold ' + FONT) + 2 * BOX_PAD);
    b.h = h + BOX_HEAD + BOX_PAD;
  }

  // Absolute positions of everything inside container c, whose content starts at (ox, oy).
  function absolutize(c, ox, oy) {
    for (const n of c.nodes) { n.ax = ox + n.x; n.ay = oy + n.y; }
    for (const b of c.boxes) {
      b.ax = ox + b.x; b.ay = oy + b.y;
      absolutize(b, b.ax + BOX_PAD, b.ay + BOX_HEAD);
    }
  }

  // Bands top to bottom, all as wide as the widest.
  let bandY = 0;
  for (const band of bands) {
    [band.cw, band.ch] = layoutItems(band);
    band.ax = 0;
    band.ay = bandY;
    band.h = BAND_HEAD + band.ch + BAND_PAD;
    absolutize(band, BAND_PAD, bandY + BAND_HEAD);
    bandY += band.h + BAND_GAP;
  }
  const bandW = Math.max(320, ...bands.map((b) => b.cw)) + 2 * BAND_PAD;
  for (const band of bands) band.w = bandW;

  // ---------------------------------------------------------------- drawing

  function el(name, attrs, parent) {
    const e = document.createElementNS(NS, name);
    for (const k in attrs) e.setAttribute(k, attrs[k]);
    if (parent) parent.appendChild(e);
    return e;
  }
  function text(parent, x, y, s, attrs) {
    const t = el('text', Object.assign({ x, y }, attrs || {}), parent);
    t.textContent = s;
    return t;
  }

  const rgb = (hex) => {
    const m = /^#?([0-9a-f]{6})$/i.exec(hex || '');
    const v = m ? parseInt(m[1], 16) : 0x888888;
    return [v >> 16, (v >> 8) & 255, v & 255];
  };
  const toHex = (c) => '#' + c.map((v) => Math.round(v).toString(16).padStart(2, '0')).join('');
  const mix = (hex, t) => toHex(rgb(hex).map((v) => v + (255 - v) * t)); // t of the way to white
  const darker = (hex) => toHex(rgb(hex).map((v) => v * 0.7));
  function ink(hex) { // readable text colour on a fill
    const lin = rgb(hex).map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2] > 0.3 ? '#1b1f24' : '#ffffff';
  }
  const colourOf = (scope) => (scopeOf.get(scope) || {}).color || '#888888';

  const defs = el('defs', {}, viewport);
  for (const [id, colour] of [['arrow', '#9aa5b1'], ['arrow-cross', CROSS], ['arrow-active', '#1d2733']]) {
    const m = el('marker', { id, viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 9, markerHeight: 9, orient: 'auto', markerUnits: 'userSpaceOnUse' }, defs);
    el('path', { d: 'M0,0 L10,5 L0,10 z', fill: colour }, m);
  }

  const bandLayer = el('g', { id: 'bands' }, viewport);
  const boxLayer = el('g', { id: 'boxes' }, viewport);
  const edgeLayer = el('g', { id: 'edges' }, viewport);
  const nodeLayer = el('g', { id: 'nodes' }, viewport);

  const visibleCount = new Map(scopes.map((s) => [s.name, 0]));
  for (const n of drawn) visibleCount.set(n.scope, visibleCount.get(n.scope) + 1);

  for (const [i, band] of bands.entries()) {
    const s = scopes[i], colour = colourOf(s.name);
    const g = el('g', { class: 'band', 'data-scope': s.name }, bandLayer);
    el('rect', { x: band.ax, y: band.ay, width: band.w, height: band.h, rx: 10, fill: mix(colour, 0.92), stroke: mix(colour, 0.6) }, g);
    el('rect', { x: band.ax, y: band.ay, width: 8, height: band.h, fill: colour }, g);
    text(g, band.ax + BAND_PAD, band.ay + 26, s.name, { fill: darker(colour) });
    const count = visibleCount.get(s.name);
    const sub = ['rank ' + s.rank, count + (count === 1 ? ' node' : ' nodes')];
    if (G.cost && s.monthly_usd != null) sub.push(money(s.monthly_usd) + '/month');
    const x = band.ax + BAND_PAD + measure(s.name, 'bold 18px system-ui, sans-serif') + 14;
    text(g, x, band.ay + 26, sub.join(' · '), { class: 'sub' });
    band.el = g;
  }

  for (const b of boxes.slice().sort((a, c) => a.depth - c.depth || byKey(a, c))) {
    const g = el('g', { class: 'box', 'data-scope': b.scope, 'data-group': b.group }, boxLayer);
    el('rect', { x: b.ax, y: b.ay, width: b.w, height: b.h, rx: 6 }, g);
    text(g, b.ax + BOX_PAD, b.ay + 16, b.label);
    b.el = g;
  }

  // Edges, arrow at the dependent: in a band from the dependency's right side to the
  // dependent's left side; between bands from bottom to top. Cross-scope edges are drawn last.
  const sortedEdges = edges.filter((e) => nodeOf.get(e.from).box && nodeOf.get(e.to).box)
    .sort((a, b) => (a.cross_scope === b.cross_scope ? 0 : a.cross_scope ? 1 : -1));

  // Ports: the edges on one side of a node leave it at evenly spaced points, ordered by where
  // their other ends are, so they fan out instead of meeting in one point.
  const sides = new Map(); // 'id\0side' -> [{e, end, along}]
  function attach(n, side, e, end, along) {
    const k = n.id + '\u0000' + side;
    if (!sides.has(k)) sides.set(k, { n, side, list: [] });
    sides.get(k).list.push({ e, end, along });
  }
  const cx = (n) => n.ax + n.w / 2, cy = (n) => n.ay + n.h / 2;
  for (const e of sortedEdges) {
    const user = nodeOf.get(e.from), dep = nodeOf.get(e.to);
    e.flat = dep.scope === user.scope;
    e.down = dep.ay < user.ay;
    if (e.flat) { attach(dep, 'R', e, 'a', cy(user)); attach(user, 'L', e, 'b', cy(dep)); }
    else {
      attach(dep, e.down ? 'B' : 'T', e, 'a', cx(user));
      attach(user, e.down ? 'T' : 'B', e, 'b', cx(dep));
    }
  }
  for (const { n, side, list } of sides.values()) {
    list.sort((p, q) => p.along - q.along);
    const vertical = side === 'L' || side === 'R';
    const span = vertical ? n.h * 0.6 : Math.min(n.w * 0.7, list.length * 14);
    const start = (vertical ? n.ay + n.h / 2 : n.ax + n.w / 2) - span / 2;
    list.forEach((p, i) => { p.e[p.end] = start + ((i + 0.5) * span) / list.length; });
  }

  for (const e of sortedEdges) {
    const user = nodeOf.get(e.from), dep = nodeOf.get(e.to);
    let d;
    if (e.flat) {
      const x1 = dep.ax + dep.w, y1 = e.a, x2 = user.ax, y2 = e.b;
      const dx = Math.max(40, Math.abs(x2 - x1) / 2);
      d = `M${x1},${y1} C${x1 + dx},${y1} ${x2 - dx},${y2} ${x2},${y2}`;
    } else {
      const x1 = e.a, y1 = e.down ? dep.ay + dep.h : dep.ay;
      const x2 = e.b, y2 = e.down ? user.ay : user.ay + user.h;
      const dy = Math.max(40, Math.abs(y2 - y1) / 2) * (e.down ? 1 : -1);
      d = `M${x1},${y1} C${x1},${y1 + dy} ${x2},${y2 - dy} ${x2},${y2}`;
    }
    const cls = 'edge' + (e.cross_scope ? ' cross' : '') + (e.kind === 'provider' ? ' provider' : '');
    const attrs = {
      class: cls, d,
      'marker-end': e.cross_scope ? 'url(#arrow-cross)' : 'url(#arrow)',
    };
    if (e.count > 1) attrs['stroke-width'] = (e.cross_scope ? 2.2 : 1.2) + Math.min(3, Math.log2(e.count));
    e.el = el('path', attrs, edgeLayer);
  }

  // A cylinder: the mark of a stateful resource.
  const CYLINDER = 'M0,3 a6,2.5 0 0,0 12,0 a6,2.5 0 0,0 -12,0 v8 a6,2.5 0 0,0 12,0 v-8';
  const dashed = (fill, stroke) => ({ fill, stroke, dash: '5 3', width: 2 });

  // Fill and line of a node: up (or no state) solid, down hollow, missing red;
  // data sources lighter; stateful ones with a thick dark line.
  function look(n, colour) {
    let s = { fill: colour, stroke: darker(colour), dash: null, width: 1 };
    if (n.kind === 'data') s.fill = mix(colour, 0.55);
    if (n.status === 'down') s = dashed('#ffffff', colour);
    if (n.status === 'missing') s = dashed('#ffffff', MISSING);
    if (n.stateful) {
      s.width += 2;
      if (n.status !== 'missing') s.stroke = '#1d2733';
    }
    return s;
  }

  // Draws a node's shape at w x h into g (the graph's nodes and the legend's key share it) and
  // returns where its label starts and the label's colour.
  function shape(g, n, colour, w, h) {
    const s = look(n, colour);
    if (n.kind === 'module' || n.kind === 'opaque_module') { // a stack: it stands for several
      el('rect', { x: 4, y: 4, width: w, height: h, rx: 5, fill: mix(colour, 0.5), stroke: s.stroke }, g);
    }
    const r = el('rect', { class: 'body', width: w, height: h, rx: 5, fill: s.fill, stroke: s.stroke, 'stroke-width': s.width }, g);
    if (s.dash) r.setAttribute('stroke-dasharray', s.dash);
    const fg = ink(s.fill);
    let x = PAD;
    if (n.stateful) {
      const at = `translate(${x - 2},${h / 2 - 7})`;
      el('path', { d: CYLINDER, transform: at, fill: 'none', stroke: fg, 'stroke-width': 1.4 }, g);
      x += ICON;
    }
    if (n.status === 'missing') {
      const cx = w - PAD - 5, cy = h / 2, d = `M${cx - 5},${cy - 5} l10,10 m0,-10 l-10,10`;
      el('path', { d, stroke: MISSING, 'stroke-width': 2.5 }, g);
    }
    return [x, fg];
  }

  for (const n of drawn) {
    const cls = ['node', n.kind];
    if (n.neighbour) cls.push('neighbour');
    if (n.stateful) cls.push('stateful');
    if (n.status) cls.push('status-' + n.status);
    const g = el('g', {
      class: cls.join(' '), 'data-id': n.id, 'data-address': n.address, 'data-scope': n.scope,
      transform: `translate(${n.ax},${n.ay})`,
    }, nodeLayer);
    el('rect', { class: 'halo', x: -4, y: -4, width: n.w + 8, height: n.h + 8, rx: 8 }, g);
    let [x, fg] = shape(g, n, colourOf(n.scope), n.w, n.h);
    text(g, x, n.h / 2 + 4, n.text, { class: 'label', fill: fg });
    x += n.textW + 10;
    if (n.costText) text(g, x, n.h / 2 + 4, n.costText, { class: 'cost', fill: fg, 'fill-opacity': 0.8 });
    const tip = el('title', {}, g);
    tip.textContent = [n.address, n.scope, n.status, n.costText && n.costText + '/month']
      .filter(Boolean).join(' · ');
    n.el = g;
  }

  // ---------------------------------------------------------------- pan and zoom

  const view = { k: 1, x: 0, y: 0 };
  function apply() {
    viewport.setAttribute('transform', `translate(${view.x},${view.y}) scale(${view.k})`);
    svg.classList.toggle('far', view.k < 0.3); // labels too small to read: skip drawing them
  }
  function zoomAt(factor, px, py) {
    const k = Math.min(4, Math.max(0.02, view.k * factor));
    view.x = px - (px - view.x) * (k / view.k);
    view.y = py - (py - view.y) * (k / view.k);
    view.k = k;
    apply();
  }
  function fit() {
    const shown = bands.filter((b) => !b.el.classList.contains('hidden'));
    if (!shown.length) return;
    const y0 = Math.min(...shown.map((b) => b.ay)), y1 = Math.max(...shown.map((b) => b.ay + b.h));
    const w = shown[0].w, W = svg.clientWidth, H = svg.clientHeight, m = 24;
    view.k = Math.min(1.25, Math.max(0.02, Math.min((W - 2 * m) / w, (H - 2 * m) / (y1 - y0))));
    view.x = Math.max(m, (W - w * view.k) / 2);
    view.y = (H - (y1 - y0) * view.k) / 2 - y0 * view.k;
    apply();
  }
  function centreOn(n) {
    const W = svg.clientWidth - (panel.hidden ? 0 : 420), H = svg.clientHeight;
    if (view.k < 0.8) view.k = 1;
    view.x = W / 2 - (n.ax + n.w / 2) * view.k;
    view.y = H / 2 - (n.ay + n.h / 2) * view.k;
    apply();
  }

  svg.addEventListener('wheel', (ev) => {
    ev.preventDefault();
    const r = svg.getBoundingClientRect();
    zoomAt(Math.exp(-ev.deltaY * 0.0015), ev.clientX - r.left, ev.clientY - r.top);
  }, { passive: false });

  // Drag pans; a press and release without moving on a node selects it.
  let drag = null;
  svg.addEventListener('pointerdown', (ev) => {
    drag = { x: ev.clientX, y: ev.clientY, vx: view.x, vy: view.y, moved: false, target: ev.target };
    svg.setPointerCapture(ev.pointerId);
  });
  svg.addEventListener('pointermove', (ev) => {
    if (!drag) return;
    const dx = ev.clientX - drag.x, dy = ev.clientY - drag.y;
    if (!drag.moved && Math.abs(dx) + Math.abs(dy) < 4) return;
    drag.moved = true;
    svg.classList.add('panning');
    view.x = drag.vx + dx; view.y = drag.vy + dy;
    apply();
  });
  svg.addEventListener('pointerup', () => {
    if (drag && !drag.moved) {
      const g = drag.target.closest && drag.target.closest('.node');
      if (g) select(nodeOf.get(g.getAttribute('data-id')), false);
      else select(null);
    }
    drag = null;
    svg.classList.remove('panning');
  });
  // Hovering a node brings out its edges.
  let hovered = null;
  function hover(n) {
    if (n === hovered) return;
    for (const m of [hovered, n]) {
      if (m) for (const e of m.deps.concat(m.users)) if (e.el) e.el.classList.toggle('hover', m === n);
    }
    hovered = n;
  }
  nodeLayer.addEventListener('pointerover', (ev) => {
    const g = ev.target.closest('.node');
    hover(g ? nodeOf.get(g.getAttribute('data-id')) : null);
  });
  nodeLayer.addEventListener('pointerleave', () => hover(null));

  const middle = () => [svg.clientWidth / 2, svg.clientHeight / 2];
  document.getElementById('zoom-in').onclick = () => zoomAt(1.25, ...middle());
  document.getElementById('zoom-out').onclick = () => zoomAt(0.8, ...middle());
  document.getElementById('fit').onclick = fit;

  // ---------------------------------------------------------------- scope filter

  const shownScopes = new Set(scopes.map((s) => s.name));
  function applyFilter() {
    let visible = 0;
    for (const b of bands) b.el.classList.toggle('hidden', !shownScopes.has(b.scope));
    for (const b of boxes) b.el.classList.toggle('hidden', !shownScopes.has(b.scope));
    for (const n of drawn) {
      const on = shownScopes.has(n.scope);
      n.el.classList.toggle('hidden', !on);
      if (on) visible++;
    }
    for (const e of sortedEdges) {
      const on = shownScopes.has(nodeOf.get(e.from).scope) && shownScopes.has(nodeOf.get(e.to).scope);
      e.el.classList.toggle('hidden', !on);
    }
    for (const s of scopes) legendBoxes.get(s.name).checked = shownScopes.has(s.name);
    document.body.dataset.visible = visible;
    if (selected && !shownScopes.has(selected.scope)) select(null);
  }

  // ---------------------------------------------------------------- search

  const searchBox = document.getElementById('search');
  const hitsLabel = document.getElementById('hits');
  let hits = [];
  function search(query, centre) {
    const q = query.trim().toLowerCase();
    hits = [];
    for (const n of drawn) {
      const hit = q !== '' && shownScopes.has(n.scope) && n.address.toLowerCase().includes(q);
      n.el.classList.toggle('hit', hit);
      if (hit) hits.push(n);
    }
    svg.classList.toggle('searching', q !== '');
    document.body.dataset.hits = hits.length;
    hitsLabel.textContent = q === '' ? '' : hits.length === 1 ? '1 match' : hits.length + ' matches';
    if (centre && hits.length) centreOn(hits[0]);
  }
  let timer = 0;
  searchBox.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => { search(searchBox.value, true); saveHash(); }, 120);
  });
  searchBox.addEventListener('keydown', (ev) => {
    if (ev.key === 'Enter' && hits.length) { // Enter walks through the matches
      const i = (hits.indexOf(selected) + 1) % hits.length;
      select(hits[i], true);
    }
  });

  // ---------------------------------------------------------------- legend

  const legend = document.getElementById('legend');
  const legendBoxes = new Map();
  // An HTML element with text (never markup: addresses can hold anything), appended to parent.
  function make(tag, parent, s, cls) {
    const d = document.createElement(tag);
    if (cls) d.className = cls;
    if (s !== undefined) d.textContent = s;
    parent.appendChild(d);
    return d;
  }
  const swatch = (parent, colour, cls) => { make('span', parent, undefined, cls).style.background = colour; };

  make('h2', legend, 'Scopes');
  for (const s of scopes) {
    const row = make('label', legend);
    const box = make('input', row);
    box.type = 'checkbox'; box.checked = true;
    box.addEventListener('change', () => {
      if (box.checked) shownScopes.add(s.name); else shownScopes.delete(s.name);
      applyFilter(); search(searchBox.value, false); saveHash();
    });
    legendBoxes.set(s.name, box);
    swatch(row, colourOf(s.name), 'swatch');
    make('span', row, s.name);
    make('span', row, String(visibleCount.get(s.name)), 'count');
    if (G.cost) make('span', row, money(s.monthly_usd) || '–', 'usd');
  }
  if (G.cost) {
    const row = make('div', legend, undefined, 'total');
    make('span', row, 'per month');
    make('span', row, '', 'count');
    make('span', row, money(scopes.reduce((t, s) => t + (s.monthly_usd || 0), 0)), 'usd');
  }

  // The key: small drawings of each mark, drawn as the graph draws them but in grey (the graph
  // fills each node with its scope's colour).
  make('h2', legend, 'Key');
  function key(label, draw) {
    const row = make('div', legend, undefined, 'key');
    draw(el('svg', { width: 48, height: 24, viewBox: '-2 -2 48 24' }, row));
    make('span', row, label);
  }
  const grey = '#6e7781';
  const keyNode = (label, n) => key(label, (g) => shape(g, n, grey, 40, 16));
  const has = (f) => drawn.some(f);
  keyNode('resource', {});
  keyNode('stateful', { stateful: true });
  if (has((n) => n.kind === 'data')) keyNode('data source', { kind: 'data' });
  if (has((n) => n.kind === 'module' || n.kind === 'opaque_module')) keyNode('module (collapsed)', { kind: 'module' });
  if (G.state) {
    keyNode('up', { status: 'up' });
    keyNode('down', { status: 'down' });
    keyNode('missing: not in state, its scope up', { status: 'missing' });
  }
  if (has((n) => n.neighbour)) key('neighbour of the scope', (g) => { g.setAttribute('opacity', 0.45); shape(g, {}, grey, 40, 16); });
  key('A → B: B depends on A', (s) => el('path', { d: 'M0,8 L36,8', class: 'edge', 'marker-end': 'url(#arrow)' }, s));
  key('crosses scopes', (s) => el('path', { d: 'M0,8 L34,8', class: 'edge cross', 'marker-end': 'url(#arrow-cross)' }, s));

  make('h2', legend, 'Graph');
  const meta = make('div', legend, undefined, 'meta');
  const facts = [
    'root: ' + G.root,
    G.env ? 'env: ' + G.env : null,
    G.scope ? 'scope: ' + G.scope + ' and its neighbours' : null,
    G.collapse === 'module' ? 'collapsed by module' : null,
    drawn.length + ' nodes, ' + sortedEdges.length + ' edges',
    'drag to pan, wheel to zoom, click a node',
  ];
  for (const f of facts) if (f) make('div', meta, f);

  // ---------------------------------------------------------------- details panel

  const panel = document.getElementById('panel');
  let selected = null;
  function select(n, centre) {
    if (selected) {
      selected.el.classList.remove('selected');
      for (const e of selected.deps.concat(selected.users)) if (e.el) e.el.classList.remove('active');
    }
    selected = n || null;
    if (!selected) { panel.hidden = true; saveHash(); return; }
    n.el.classList.add('selected');
    for (const e of n.deps.concat(n.users)) if (e.el) e.el.classList.add('active');
    panel.replaceChildren();
    const close = make('button', panel, '×', 'close');
    close.title = 'close (Esc)';
    close.onclick = () => select(null);
    make('h2', panel, n.address);
    const dl = make('dl', panel);
    const row = (k, v, colour) => {
      if (v === null || v === undefined || v === '') return;
      make('dt', dl, k);
      const dd = make('dd', dl);
      if (colour) swatch(dd, colour, 'dot');
      dd.append(String(v));
    };
    row('scope', n.scope, colourOf(n.scope));
    row('type', n.type);
    row('kind', n.kind);
    row('module', n.group);
    row('stateful', n.stateful ? 'yes' : 'no');
    if (n.resources > 1) row('resources', n.resources);
    if (G.state) row('status', n.status || 'unknown');
    if (G.cost) row('cost', n.monthly_usd === null ? 'not priced' : money(n.monthly_usd) + '/month');
    if (n.neighbour) row('shown as', 'neighbour of ' + G.scope);
    if (n.explain) make('pre', panel, n.explain);
    // Dependencies and dependents, each a button that selects it.
    const list = (title, es, end) => {
      make('h3', panel, title + ' (' + es.length + ')');
      const ul = make('ul', panel);
      for (const e of es) {
        const other = nodeOf.get(e[end]);
        const b = make('button', make('li', ul));
        swatch(b, colourOf(other.scope), 'dot');
        b.append(other.address + (e.count > 1 ? ' ×' + e.count : ''));
        b.onclick = () => { if (other.box) select(other, true); };
      }
    };
    list('depends on', n.deps, 'to');
    list('needed by', n.users, 'from');
    panel.hidden = false;
    if (centre) centreOn(n);
    saveHash();
  }

  document.addEventListener('keydown', (ev) => {
    if (ev.target === searchBox) {
      if (ev.key === 'Escape') { searchBox.value = ''; search('', false); saveHash(); }
      return;
    }
    if (ev.key === '+' || ev.key === '=') zoomAt(1.25, ...middle());
    else if (ev.key === '-') zoomAt(0.8, ...middle());
    else if (ev.key === '0') fit();
    else if (ev.key === '/') { ev.preventDefault(); searchBox.focus(); }
    else if (ev.key === 'Escape') select(null);
  });

  // ---------------------------------------------------------------- URL fragment

  let restoring = false;
  function saveHash() {
    if (restoring) return;
    const p = new URLSearchParams();
    if (searchBox.value.trim()) p.set('search', searchBox.value.trim());
    // One `scope` per shown scope (names may hold commas); an empty one when none is shown.
    if (shownScopes.size !== scopes.length) {
      for (const s of scopes) if (shownScopes.has(s.name)) p.append('scope', s.name);
      if (!shownScopes.size) p.set('scope', '');
    }
    if (selected) p.set('select', selected.address === selected.id ? selected.address : selected.id);
    const hash = p.toString();
    try {
      history.replaceState(null, '', hash ? '#' + hash : location.pathname + location.search);
    } catch (e) { /* some browsers refuse it for file: pages; the fragment then stays as it was */ }
  }
  function restore() {
    restoring = true;
    const p = new URLSearchParams(location.hash.replace(/^#/, ''));
    shownScopes.clear();
    // `#scope=a&scope=b`, or by hand `#scope=a,b` (a name holding a comma is taken whole first).
    const wanted = p.has('scope') ? p.getAll('scope') : scopes.map((s) => s.name);
    for (const w of wanted) {
      for (const s of scopeOf.has(w) ? [w] : w.split(',')) if (scopeOf.has(s)) shownScopes.add(s);
    }
    applyFilter();
    fit();
    searchBox.value = p.get('search') || '';
    search(searchBox.value, true);
    const chosen = p.get('select');
    select(chosen ? addressOf.get(chosen) : null, Boolean(chosen));
    restoring = false;
  }
  window.addEventListener('hashchange', restore);
  window.addEventListener('resize', () => { if (!selected && !hits.length) fit(); });
  restore();
  document.body.dataset.ready = '1';
})();
