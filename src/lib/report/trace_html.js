/* reprint trace report: draws one view at a time from the page's data
   block (trace_html_data.c documents its layout). The page's only script:
   the Content-Security-Policy pins its SHA-256. Text from the corpus is
   only ever set with textContent or createTextNode, links only to the
   page's own #views and to http(s) URLs; no markup is built from data. */
(function () {
  'use strict';
  var data = document.getElementById('data');
  var view = document.getElementById('view');
  var form = document.getElementById('f');
  var shown = document.getElementById('shown');
  if (!data || !view || !form || !shown)
    return;
  var D = JSON.parse(data.textContent);
  var PAGE = 100; /* list items drawn at a time */
  var CAP = 12;   /* members drawn in a graph or named as links */
  var SVGNS = 'http://www.w3.org/2000/svg';

  /* ---- building blocks ---- */
  function h(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls)
      e.className = cls;
    if (text !== undefined && text !== null)
      e.textContent = text;
    return e;
  }
  function add(parent) {
    for (var i = 1; i < arguments.length; i++) {
      var c = arguments[i];
      parent.appendChild(typeof c === 'string' ? document.createTextNode(c)
                                                : c);
    }
    return parent;
  }
  function bdi(text) { return h('bdi', null, text); }
  function link(href, child) {
    var a = h('a');
    a.href = href; /* always '#' and a number or a view name */
    add(a, child);
    return a;
  }
  function plural(n, word) { return n + ' ' + word + (n === 1 ? '' : 's'); }
  function lower(s) { return (s || '').toLowerCase(); }
  function doc(k) { return D.d[k]; }
  function docLink(k) { return link('#d' + doc(k)[0], bdi(doc(k)[1])); }
  function outletOf(k) { return D.o[doc(k)[2]]; }
  function outletText(name) {
    return name ? bdi(name) : h('i', null, 'unknown');
  }
  function date(s) { return s || 'unknown'; }
  /* documents: CAP as links, the rest named in text */
  function docList(parent, ks) {
    ks.forEach(function (k, i) {
      if (i)
        add(parent, ', ');
      if (i === CAP)
        add(parent, 'and ' + (ks.length - CAP) + ' more: ');
      add(parent, i < CAP ? docLink(k) : bdi(doc(k)[1]));
    });
    return parent;
  }
  function safeUrl(u) {
    return typeof u === 'string' &&
           /^https?:\/\/[^\s\u0000-\u001f\u007f]+$/i.test(u);
  }

  /* ---- indices ---- */
  var pByN = {}, bByN = {}, qByN = {}, dByN = {}, byDoc = [];
  function member(k, entry) {
    var list = byDoc[k] = byDoc[k] || [], last = list[list.length - 1];
    if (!last || last[0] !== entry[0] || last[1] !== entry[1])
      list.push(entry); /* a document twice in one boilerplate or quote */
  }
  D.p.forEach(function (p, i) {
    pByN[p.i] = i;
    var seen = {};
    p.m.forEach(function (k, m) { /* one entry per document and passage */
      if (seen[k])
        seen[k][2].push(m);
      else
        member(k, seen[k] = ['p', i, [m]]);
    });
  });
  D.b.forEach(function (b, i) {
    bByN[b[0]] = i;
    b[1].forEach(function (k) { member(k, ['b', i]); });
  });
  D.q.forEach(function (q, i) {
    qByN[q[0]] = i;
    q[6].forEach(function (x) { member(x[0], ['q', i]); });
    q[7].forEach(function (k) { member(k, ['q', i]); });
  });
  D.d.forEach(function (d, k) { dByN[d[0]] = k; });
  var sharing = [];
  for (var k = 0; k < D.d.length; k++)
    if (byDoc[k])
      sharing.push(k);
  /* outlets: documents and passages of each */
  var outlets = D.o.map(function (name) {
    return {name: name, docs: [], pass: {}, npass: 0, origins: 0};
  });
  sharing.forEach(function (k) { outlets[doc(k)[2]].docs.push(k); });
  D.p.forEach(function (p, i) {
    p.m.forEach(function (k) {
      var o = outlets[doc(k)[2]];
      if (!o.pass[i]) {
        o.pass[i] = 1;
        o.npass++;
      }
    });
    if (p.or >= 0)
      outlets[doc(p.m[p.or])[2]].origins++;
  });

  /* the members drawn: the first CAP in date order, the origin always */
  function drawn(p) {
    var d = [];
    for (var m = 0; m < p.m.length && m < CAP; m++)
      d.push(m);
    if (p.or >= 0 && d.indexOf(p.or) < 0)
      d[d.length - 1] = p.or;
    return d;
  }
  function edgeOf(p, m) {
    for (var i = 0; i < p.e.length; i++)
      if (p.e[i][2] === m)
        return p.e[i];
    return null;
  }

  /* ---- search and filter ---- */
  var ptext = [];
  function filter() {
    var f = form.elements;
    return {q: lower(f.q.value).trim(), o: lower(f.o.value).trim(),
            d: lower(f.d.value).trim(), n: parseInt(f.n.value, 10) || 0,
            no: parseInt(f.no.value, 10) || 0};
  }
  function passageText(i) {
    if (ptext[i] === undefined) {
      var p = D.p[i], s = [p.s];
      p.t.forEach(function (t) { s.push(t[1].join('')); });
      ptext[i] = lower(s.join('\n'));
    }
    return ptext[i];
  }
  function anyDoc(ks, f) {
    if (!f.o && !f.d)
      return true;
    return ks.some(function (k) {
      return (!f.o || lower(outletOf(k)).indexOf(f.o) >= 0) &&
             (!f.d || lower(doc(k)[1]).indexOf(f.d) >= 0);
    });
  }
  function passageMatches(i, f) {
    var p = D.p[i];
    return p.n >= f.n && p.no >= f.no && anyDoc(p.m, f) &&
           (!f.q || passageText(i).indexOf(f.q) >= 0);
  }
  function docMatches(k, f) {
    var d = doc(k);
    return anyDoc([k], f) &&
           (!f.q || lower(d[1] + '\n' + (d[4] || '')).indexOf(f.q) >= 0);
  }

  /* a list drawn PAGE items at a time */
  function paged(parent, items, draw) {
    var at = 0;
    function more() {
      var end = Math.min(items.length, at + PAGE);
      for (; at < end; at++)
        parent.appendChild(draw(items[at]));
      if (at < items.length) {
        var b = h('button', null, 'show ' + Math.min(PAGE, items.length - at) +
                                  ' more of ' + (items.length - at));
        b.type = 'button';
        b.addEventListener('click', function () {
          b.remove();
          more();
        });
        parent.parentNode.insertBefore(b, parent.nextSibling);
      }
    }
    more();
  }

  /* ---- views ---- */
  function passages() {
    var f = filter(), hits = [];
    for (var i = 0; i < D.p.length; i++)
      if (passageMatches(i, f))
        hits.push(i);
    shown.textContent = hits.length + ' of ' + D.p.length + ' passages';
    add(view, h('h2', null, 'Passages by spread'),
        h('p', null, 'Passages shared outside boilerplate, the most widely ' +
                     'shared first: by distinct outlets, then distinct ' +
                     'documents.'));
    var ol = h('ol', 'rank');
    view.appendChild(ol);
    paged(ol, hits, function (i) {
      var p = D.p[i], li = h('li');
      li.value = i + 1;
      li.setAttribute('data-p', 'p' + p.i);
      add(li, link('#p' + p.i, 'p' + p.i), ' ', bdi(p.s), ' ',
          h('span', 'n', plural(p.n, 'document') + ', ' +
                         plural(p.no, 'outlet') + '; origin: '));
      li.lastChild.appendChild(p.or >= 0 ? docLink(p.m[p.or])
                                         : document.createTextNode('undetermined'));
      return li;
    });
  }

  /* members spaced to fit the page (60-150 px apart); labels (id, date)
     staggered over as many rows as a date needs, so none overlap */
  function graph(p, dm) {
    var more = p.m.length - dm.length, count = dm.length + (more ? 1 : 0);
    var width = Math.max(400, view.clientWidth || 1000);
    var pad = 85; /* half a label */
    var step = Math.max(60, Math.min(150, Math.floor((width - 2 * pad) /
                                                     Math.max(1, count - 1))));
    var rows = Math.min(3, Math.ceil(165 / step));
    var w = (count - 1) * step + 2 * pad, height = 76 + rows * 32;
    var chars = Math.floor(step * rows / 7.5);
    function s(tag, attrs, text) {
      var e = document.createElementNS(SVGNS, tag);
      for (var a in attrs)
        e.setAttribute(a, attrs[a]);
      if (text !== undefined)
        e.textContent = text;
      return e;
    }
    var svg = s('svg', {role: 'img', 'aria-label': 'copy graph', width: w,
                        height: height, viewBox: '0 0 ' + w + ' ' + height});
    var marker = s('marker', {id: 'a', viewBox: '0 0 10 10', refX: 10,
                              refY: 5, markerWidth: 8, markerHeight: 8,
                              orient: 'auto'});
    marker.appendChild(s('path', {d: 'M0,0L10,5L0,10z'}));
    svg.appendChild(s('defs', {})).appendChild(marker);
    var x0 = pad;
    p.e.forEach(function (e) {
      var kf = dm.indexOf(e[0]), kt = dm.indexOf(e[1]);
      if (kf < 0 || kt < 0)
        return;
      var x1 = kf * step + x0, x2 = kt * step + x0, dir = x2 > x1 ? 1 : -1;
      var lift = 12 + Math.abs(kt - kf) * 3;
      var path = s('path', {d: 'M' + (x1 + 16 * dir) + ',44 Q' +
                               (x1 + x2) / 2 + ',' + (44 - lift) + ' ' +
                               (x2 - 16 * dir) + ',44',
                            fill: 'none', stroke: e[3] ? '#333' : '#a60'});
      if (e[3])
        path.setAttribute('marker-end', 'url(#a)');
      else
        path.setAttribute('stroke-dasharray', '4 3');
      svg.appendChild(path);
    });
    function label(x, y, text) {
      var t = Array.from(text);
      svg.appendChild(s('text', {x: x, y: y, 'text-anchor': 'middle'},
                        t.length > chars ? t.slice(0, chars - 1).join('') +
                                           '…' : text));
    }
    dm.forEach(function (m, i) {
      var d = doc(p.m[m]), x = i * step + x0, y = 80 + (i % rows) * 32;
      svg.appendChild(s('circle', {cx: x, cy: 44, r: 14,
                                   fill: m === p.or ? '#fb6' : '#9bd'}));
      label(x, y, d[1]);
      label(x, y + 14, date(d[3]));
    });
    if (more) {
      var x = dm.length * step + x0;
      svg.appendChild(s('circle', {cx: x, cy: 44, r: 14, fill: '#ddd'}));
      label(x, 80 + (dm.length % rows) * 32, 'and ' + more + ' more');
    }
    return add(h('div', 'graph'), svg);
  }

  function passage(i) {
    var p = D.p[i], dm = drawn(p);
    add(view, add(h('h2'), 'p' + p.i + ' ', bdi(p.s)));
    var o = add(h('p'), 'Origin: ');
    if (p.or < 0)
      add(o, h('span', 'tie', 'undetermined — the earliest dates overlap ' +
                              'or are unknown, and the text does not ' +
                              'decide'));
    else
      add(o, add(h('b'), docLink(p.m[p.or])),
          p.ob === 'dates' ? ' (by publication date)'
                           : ' (by the text: see the evidence below)');
    add(o, p.x ? '. Shared across outlets: ' : '. Within one outlet: ',
        plural(p.n, 'document') + ', ' + plural(p.no, 'outlet') + '.');
    add(view, o, graph(p, dm));
    var t = add(h('table'), add(h('tr'), h('th', null, 'date'),
                                h('th', null, 'outlet'),
                                h('th', null, 'document'),
                                h('th', null, 'linked to'),
                                h('th', null, 'similarity'),
                                h('th', null, 'evidence')));
    dm.forEach(function (m) {
      var k = p.m[m], e = edgeOf(p, m);
      var tr = add(h('tr'), h('td', null, date(doc(k)[3])),
                   add(h('td'), outletText(outletOf(k))),
                   add(h('td'), docLink(k)));
      if (!e) {
        add(tr, h('td', null, '—'), h('td'), h('td'));
      } else {
        var peer = e[1] === m ? e[0] : e[1];
        var td = add(h('td', e[3] ? null : 'tie'), docLink(p.m[peer]));
        if (!e[3])
          add(td, ' (direction undetermined)');
        else if (peer === e[1])
          add(td, ' (which took it from this version, by the text)');
        var ev = h('td', 'ev', e[5] + ' words added, ' + e[6] + ' dropped');
        e[7].forEach(function (s) { add(ev, h('br'), s); });
        e[8].forEach(function (s) {
          add(ev, h('br'), h('span', 'tie', 'against: ' + s));
        });
        add(tr, td, h('td', null, e[4].toFixed(2)), ev);
      }
      t.appendChild(tr);
    });
    view.appendChild(t);
    var rest = [], seen = {};
    dm.forEach(function (m) { seen[p.m[m]] = 1; });
    p.m.forEach(function (k, m) { /* each document once */
      if (!seen[k]) {
        seen[k] = 1;
        rest.push(m);
      }
    });
    if (rest.length) {
      var pm = add(h('p'), 'And ' + rest.length + ' more: ');
      rest.forEach(function (m, j) {
        add(pm, j ? ', ' : '', docLink(p.m[m]), ' (' + date(doc(p.m[m])[3]) +
                                                ')');
      });
      view.appendChild(pm);
    }
    add(view, h('p', 'ev', 'Highlighted: words a version does not share ' +
                           'with the version it is linked to (for the ' +
                           'first, the second)' +
                           (p.t.length < p.m.length
                                ? '; the first versions only (every text ' +
                                  'is in the JSON report)' : '') + '.'));
    var side = h('div', 'side');
    p.t.forEach(function (tx) {
      var k = p.m[tx[0]];
      var cap = add(h('figcaption'), bdi(doc(k)[1]), ' · ',
                    outletText(outletOf(k)), ' · ', date(doc(k)[3]));
      var q = h('blockquote');
      tx[1].forEach(function (s, j) {
        add(q, j % 2 ? h('mark', null, s) : s);
      });
      add(side, add(h('figure'), cap, q));
    });
    view.appendChild(side);
  }

  function membership(k, m) {
    var li = h('li');
    if (m[0] === 'b') {
      var b = D.b[m[1]];
      add(li, link('#boilerplate', 'p' + b[0]), ' ', bdi(b[2]), ' ',
          h('span', 'n', 'boilerplate of its outlet, ' +
                         plural(b[1].length, 'document')));
      return li;
    }
    if (m[0] === 'q') {
      var q = D.q[m[1]];
      var x = q[6].length ? q[6][0][5] : '';
      add(li, link('#q' + q[0], 'q' + q[0]), ' quote ',
          bdi(Array.from(x).slice(0, 80).join('')),
          h('span', 'n', ' (' + plural(q[6].length + q[7].length,
                                       'version') + ')'));
      return li;
    }
    /* every occurrence of the document in the passage, as one line */
    var p = D.p[m[1]], mine = m[2], from = [], ties = [], takers = [];
    function once(list, k2) {
      if (k2 !== k && list.indexOf(k2) < 0)
        list.push(k2);
    }
    add(li, link('#p' + p.i, 'p' + p.i), ' ', bdi(p.s), ' ',
        h('span', 'n', '(' + plural(p.n, 'document') + ')'), h('br'));
    p.e.forEach(function (e) {
      var a = mine.indexOf(e[0]) >= 0, b = mine.indexOf(e[1]) >= 0;
      if (e[3] && b)
        once(from, p.m[e[0]]);
      else if (!e[3] && (a || b))
        once(ties, p.m[a ? e[1] : e[0]]);
      else if (e[3] && a)
        once(takers, p.m[e[1]]);
    });
    var parts = [];
    if (mine.indexOf(p.or) >= 0)
      parts.push(h('b', null, 'origin'));
    if (from.length)
      parts.push(docList(h('span', null, 'took it from '), from));
    if (ties.length)
      parts.push(docList(h('span', 'tie', 'shares it with (direction ' +
                                          'undetermined) '), ties));
    if (takers.length)
      parts.push(docList(h('span', null, 'taken by '), takers));
    parts.forEach(function (x, j) { add(li, j ? ' — ' : '', x); });
    return li;
  }

  function docView(k) {
    var d = doc(k);
    add(view, add(h('h2'), bdi(d[1])));
    if (d[4])
      add(view, add(h('p'), h('b', null, d[4])));
    add(view, add(h('p', 'n'), outletText(outletOf(k)), ' · ',
                  date(d[3])));
    if (d[5]) {
      var u = add(h('p'), 'URL: ');
      if (safeUrl(d[5])) {
        var a = h('a', null, d[5]);
        a.href = d[5];
        a.rel = 'noopener noreferrer';
        u.appendChild(a);
      } else {
        add(u, bdi(d[5]), h('span', 'n', ' (not an http(s) URL: not linked)'));
      }
      view.appendChild(u);
    }
    add(view, h('p', null, 'Where its text came from, and who took from it:'));
    var ul = h('ul');
    (byDoc[k] || []).forEach(function (m) { ul.appendChild(membership(k, m)); });
    view.appendChild(ul);
  }

  function documents() {
    var f = filter(), hits = sharing.filter(function (k) {
      return docMatches(k, f);
    });
    shown.textContent = hits.length + ' of ' + sharing.length + ' documents';
    add(view, h('h2', null, 'Documents'),
        h('p', null, plural(sharing.length, 'document') + ' share text, in ' +
                     'input order. Open one for where its text came from ' +
                     'and who took from it.'));
    var ul = h('ul');
    view.appendChild(ul);
    paged(ul, hits, function (k) {
      var d = doc(k), li = h('li');
      li.setAttribute('data-d', 'd' + d[0]);
      add(li, docLink(k));
      if (d[4])
        add(li, ' · ', h('b', null, d[4]));
      var nq = byDoc[k].filter(function (m) { return m[0] === 'q'; }).length;
      var np = byDoc[k].length - nq;
      add(li, ' ', add(h('span', 'n'), outletText(outletOf(k)), ' · ' +
                       date(d[3]) + ' · ' + plural(np, 'passage') +
                       (nq ? ', ' + plural(nq, 'quote') : '')));
      return li;
    });
  }

  function flowsOf(name, out) {
    var p = h('p', null, out ? 'Gave text to: ' : 'Took text from: ');
    var n = 0;
    D.f.forEach(function (f) {
      if ((out ? f[0] : f[1]) !== name)
        return;
      add(p, n++ ? ', ' : '', outletText(out ? f[1] : f[0]),
          ' (' + f[2] + ')');
    });
    add(p, n ? '.' : 'none found.');
    return p;
  }

  function outletView(i) {
    var o = outlets[i], q = new URLSearchParams();
    q.set('o', o.name);
    add(view, add(h('h2'), outletText(o.name)),
        add(h('p', 'n', plural(o.docs.length, 'document') + ' sharing text, ' +
                        plural(o.npass, 'passage') + ', origin of ' +
                        o.origins + ' · '),
            link('#' + q.toString(), 'its passages by spread')),
        flowsOf(o.name, false), flowsOf(o.name, true),
        docList(h('p', null, 'Documents: '), o.docs));
  }

  function outletList() {
    add(view, h('h2', null, 'Outlets'));
    var t = add(h('table'), add(h('tr'), h('th', null, 'outlet'),
                                h('th', null, 'documents'),
                                h('th', null, 'passages'),
                                h('th', null, 'origin of')));
    outlets.forEach(function (o, i) {
      if (!o.docs.length)
        return;
      add(t, add(h('tr'), add(h('td'), link('#o' + (i + 1),
                                            outletText(o.name))),
                 h('td', null, String(o.docs.length)),
                 h('td', null, String(o.npass)),
                 h('td', null, String(o.origins))));
    });
    view.appendChild(t);
  }

  function quote(q) {
    var box = h('section');
    box.id = 'q' + q[0];
    add(box, add(h('h3'), link('#q' + q[0], 'q' + q[0]), ' ',
                 bdi(q[6].length ? Array.from(q[6][0][5]).slice(0, 90).join('')
                                 : '')));
    add(box, add(h('p'), 'Speaker: ', q[1] ? bdi(q[1]) : h('i', null, 'not named'),
                 '. First seen: ' + date(q[2]),
                 q[3] ? h('span', 'tie', ' (tied: the earliest versions ' +
                                         'share a date)')
                      : add(h('span'), ' in ', docLink(q[4])),
                 '. Fullest version: ', docLink(q[5]), '.'));
    var t = add(h('table'), add(h('tr'), h('th', null, 'date'),
                                h('th', null, 'outlet'),
                                h('th', null, 'document'),
                                h('th', null, 'speaker'),
                                h('th', null, 'version'),
                                h('th', null, 'quote')));
    q[6].forEach(function (x) {
      add(t, add(h('tr'), h('td', null, date(doc(x[0])[3])),
                 add(h('td'), outletText(outletOf(x[0]))),
                 add(h('td'), docLink(x[0])),
                 add(h('td'), x[1] ? bdi(x[1]) : '',
                     h('span', 'ev', ' (' + x[2] + ')')),
                 h('td', null, x[3] + ', ' + x[4] +
                               '% of its content words in the fullest'),
                 add(h('td'), h('blockquote', null, x[5]))));
    });
    box.appendChild(t);
    if (q[7].length)
      box.appendChild(docList(h('p', null, 'And ' + q[7].length +
                                           ' more: '), q[7]));
    return box;
  }

  function quoteList() {
    add(view, h('h2', null, 'Quotes'),
        h('p', null, D.q.length + ' quotes in two or more documents, in ' +
                     'order of first appearance.'));
    var box = h('div');
    view.appendChild(box);
    paged(box, D.q, quote);
  }

  function boilerplate() {
    add(view, h('h2', null, 'Boilerplate'),
        h('p', null, 'Text repeated across documents of one outlet; kept ' +
                     'out of provenance.'));
    var ul = h('ul');
    view.appendChild(ul);
    paged(ul, D.b, function (b) {
      var li = add(h('li'), 'p' + b[0] + ' ', outletText(outletOf(b[1][0])),
                   ', ' + plural(b[1].length, 'document') + ': ', bdi(b[2]));
      li.id = 'p' + b[0];
      return li;
    });
  }

  function flows() {
    add(view, h('h2', null, 'Outlet flows'),
        h('p', null, 'Copy edges with a determined direction, per pair of ' +
                     'outlets (boilerplate excluded).'));
    var t = add(h('table'), add(h('tr'), h('th', null, 'from'),
                                h('th', null, 'to'),
                                h('th', null, 'copies'),
                                h('th', null, 'median lag'), h('th')));
    D.f.forEach(function (f) {
      add(t, add(h('tr'), add(h('td'), outletText(f[0])),
                 add(h('td'), outletText(f[1])),
                 h('td', null, String(f[2])),
                 h('td', null, f[3] === null ? '—' : f[3].toFixed(1) + ' h'),
                 h('td', null, f[0] && f[0] === f[1] ? 'within one outlet'
                                                      : '')));
    });
    view.appendChild(t);
  }

  /* ---- routing: the fragment names the view ---- */
  var lists = {passages: passages, documents: documents,
               outlets: outletList, quotes: quoteList,
               boilerplate: boilerplate, flows: flows};
  var current = 'passages';
  function route() {
    var h0 = location.hash.slice(1), m;
    view.textContent = '';
    shown.textContent = '';
    if (h0.indexOf('=') >= 0) {
      var params = new URLSearchParams(h0);
      ['q', 'o', 'd', 'n', 'no'].forEach(function (k) {
        form.elements[k].value = params.get(k) || '';
      });
      current = params.get('view') === 'documents' ? 'documents'
                                                    : 'passages';
      lists[current]();
    } else if ((m = /^([pdoq])(\d+)$/.exec(h0))) {
      var n = +m[2];
      if (m[1] === 'p' && n in pByN)
        passage(pByN[n]);
      else if (m[1] === 'p' && n in bByN)
        boilerplate();
      else if (m[1] === 'd' && n in dByN)
        docView(dByN[n]);
      else if (m[1] === 'o' && n >= 1 && n <= outlets.length)
        outletView(n - 1);
      else if (m[1] === 'q' && n in qByN)
        view.appendChild(quote(D.q[qByN[n]]));
      else
        add(view, h('p', null, 'No such view: #' + h0));
    } else {
      current = lists[h0] ? h0 : 'passages';
      lists[current]();
    }
    window.scrollTo(0, 0);
  }
  form.addEventListener('input', function () {
    var f = form.elements, q = new URLSearchParams();
    ['q', 'o', 'd', 'n', 'no'].forEach(function (k) {
      if (f[k].value)
        q.set(k, f[k].value);
    });
    if (current === 'documents')
      q.set('view', 'documents');
    history.replaceState(null, '', '#' + q.toString());
    route();
  });
  form.addEventListener('submit', function (ev) { ev.preventDefault(); });
  window.addEventListener('hashchange', route);
  form.hidden = false;
  document.getElementById('nav').hidden = false;
  route();
  document.documentElement.setAttribute('data-ready',
                                        String(Math.round(performance.now())));
})();
