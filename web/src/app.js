// 年度报告检查页面：a thin shell over the engine (engine.js, built by web/build.sh). It reads the
// chosen files, hands their bytes to the engine in a worker, and draws what the engine returns.
// No rule logic here: every finding, label, message and grouping key comes from the engine; this
// file only lays them out.
(function () {
  'use strict';

  var CHECK_TIMEOUT_MS = 60000;
  var MAX_BYTES = 32 * 1024 * 1024; // the engine's limit (E006); refused before reading the file
  var SEVERITY = { error: '错误', warning: '警告', info: '提示' };
  var SEVERITY_ORDER = { error: 0, warning: 1, info: 2 };
  var ERA = {
    'pre-2019': '2019 年以前（2008 年《条例》）',
    'format-2019': '2019 年格式（国办公开办函〔2019〕60号）',
    'format-2021': '2021 年格式（国办公开办函〔2021〕30号）',
    unknown: '无法判断'
  };
  var KIND = { 'annual-report': '年度报告', other: '不是年度报告' };
  var FORMAT = { text: '文本', html: '网页', docx: 'Word 文档', pdf: 'PDF' };

  var $ = function (id) { return document.getElementById(id); };
  var state = { current: null, previous: null, view: null, result: null, selected: -1, rules: [] };

  // ---- The engine, in a worker made from a Blob (a file:// page cannot load one from a file).
  var engine = null;
  var nextId = 1;
  var wasmBytes = null;

  function decodeBase64(text) {
    var binary = atob(text);
    var bytes = new Uint8Array(binary.length);
    for (var i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return bytes;
  }

  function startEngine() {
    if (!wasmBytes) wasmBytes = decodeBase64(XXGK_ENGINE.wasm);
    var source = new TextDecoder().decode(decodeBase64(XXGK_ENGINE.worker));
    var url = URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
    var worker = new Worker(url);
    URL.revokeObjectURL(url);
    var pending = {};
    worker.onmessage = function (event) {
      var reply = event.data;
      var waiting = pending[reply.id];
      if (!waiting) return;
      delete pending[reply.id];
      clearTimeout(waiting.timer);
      if (reply.ok) waiting.resolve(reply);
      else waiting.reject(reply);
    };
    worker.onerror = function (event) {
      event.preventDefault();
      failAll({ crashed: true, error: event.message || '引擎出错' });
    };
    function failAll(reason) {
      Object.keys(pending).forEach(function (id) {
        clearTimeout(pending[id].timer);
        pending[id].reject(reason);
      });
      pending = {};
      stopEngine();
    }
    var self = {
      call: function (message, timeout) {
        return new Promise(function (resolve, reject) {
          var id = nextId++;
          message.id = id;
          var timer = setTimeout(function () {
            failAll({ timeout: true, error: '超过 ' + Math.round(timeout / 1000) + ' 秒仍未完成' });
          }, timeout);
          pending[id] = { resolve: resolve, reject: reject, timer: timer };
          worker.postMessage(message);
        }).catch(function (reason) {
          // A trap leaves the instance unusable: the next call gets a fresh worker.
          if (reason && (reason.crashed || reason.timeout)) stopEngine();
          throw reason;
        });
      },
      worker: worker
    };
    function stopEngine() {
      worker.terminate();
      if (engine === self) engine = null;
    }
    engine = self;
    self.ready = self.call({ op: 'init', wasm: wasmBytes }, CHECK_TIMEOUT_MS);
    return self;
  }

  function withEngine() {
    var current = engine || startEngine();
    return current.ready.then(function (reply) {
      return { engine: current, info: reply.value };
    });
  }

  // ---- Status line.
  function status(text, problem) {
    var line = $('status');
    line.textContent = text;
    line.classList.toggle('problem', !!problem);
  }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (key) {
        if (key === 'class') node.className = attrs[key];
        else if (key === 'text') node.textContent = attrs[key];
        else node.setAttribute(key, attrs[key]);
      });
    }
    (children || []).forEach(function (child) {
      if (child === null || child === undefined) return;
      node.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
    });
    return node;
  }

  // ---- Reading files.
  function readFile(file) {
    return new Promise(function (resolve, reject) {
      if (file.size > MAX_BYTES) {
        reject(new Error('文件「' + file.name + '」有 ' + (file.size / 1048576).toFixed(1) + ' MiB，超过 32 MiB，不像是一份年度报告'));
        return;
      }
      var reader = new FileReader();
      reader.onload = function () { resolve({ name: file.name, bytes: reader.result }); };
      reader.onerror = function () { reject(new Error('无法读取文件「' + file.name + '」')); };
      reader.readAsArrayBuffer(file);
    });
  }

  function chooseCurrent(file) {
    readFile(file).then(function (read) {
      state.current = read;
      runCheck();
    }, function (error) { status(error.message, true); });
  }

  function choosePrevious(file) {
    readFile(file).then(function (read) {
      state.previous = read;
      $('previous-name').textContent = '上一年度：' + read.name;
      $('previous-clear').hidden = false;
      if (state.current) runCheck();
      else status('已选择上一年度报告「' + read.name + '」，请再选择本年度报告');
    }, function (error) { status(error.message, true); });
  }

  function clearPrevious() {
    state.previous = null;
    $('previous').value = '';
    $('previous-name').textContent = '';
    $('previous-clear').hidden = true;
    if (state.current) runCheck();
  }

  // Checks run one after another in the worker; only the newest one's result is drawn.
  var generation = 0;
  var runs = 0;

  function finished(current, previous, outcome) {
    runs++;
    document.body.setAttribute('data-checked', current.name + '|' + (previous ? previous.name : ''));
    document.body.setAttribute('data-runs', String(runs));
    document.body.setAttribute('data-state', outcome);
  }

  function runCheck() {
    var current = state.current;
    var previous = state.previous;
    var mine = ++generation;
    status('正在检查「' + current.name + '」…');
    document.body.setAttribute('data-state', 'checking');
    withEngine().then(function (ready) {
      return ready.engine.call({
        op: 'check',
        name: current.name,
        // Copies: the same file can be checked again (with another previous year).
        bytes: current.bytes.slice(0),
        previousName: previous ? previous.name : null,
        previousBytes: previous ? previous.bytes.slice(0) : null
      }, CHECK_TIMEOUT_MS);
    }).then(function (reply) {
      if (mine !== generation) return;
      var view = JSON.parse(reply.value);
      show(view, reply.ms);
      finished(current, previous, 'done');
    }, function (reason) {
      if (mine !== generation) return;
      var detail = reason && reason.error ? reason.error : String(reason);
      var message;
      if (reason && reason.timeout) {
        message = '检查「' + current.name + '」' + detail + '，已停止。这个文件可能过大或结构异常；可以继续选择其他文件。';
      } else if (reason && reason.crashed) {
        message = '检查「' + current.name + '」时引擎出错' + (reason.panic ? '（' + reason.panic + '）' : '（' + detail + '）') +
          '。这是程序缺陷，请报告；引擎已重新启动，可以继续选择其他文件。';
      } else {
        message = '检查「' + current.name + '」失败：' + detail;
      }
      status(message, true);
      finished(current, previous, 'failed');
    });
  }

  // ---- Drawing a result.
  function show(view, ms) {
    var result = JSON.parse(view.json);
    var file = result.files[0];
    state.view = view;
    state.result = file;
    state.selected = -1;
    $('welcome').hidden = true;
    $('result').hidden = false;
    $('save').disabled = false;
    $('print').disabled = false;
    drawModel(view, file);
    drawDocument(view, file);
    drawFindings(view, file);
    var elapsed = ms === undefined ? '' : '（用时 ' + Math.max(1, Math.round(ms)) + ' 毫秒）';
    $('status').setAttribute('data-ms', ms === undefined ? '' : String(Math.round(ms)));
    if (!file.report) {
      // The engine's message names the file: 「空白.txt：文件没有正文内容」.
      status('无法读取：' + (file.diagnostics[0] ? file.diagnostics[0].message : file.path) + '。可以选择其他文件。', true);
    } else {
      status('已检查「' + file.path + '」' + elapsed + '。点击左侧的问题，右侧原文滚动到它所在的位置。');
    }
    fitPanes();
  }

  function drawModel(view, file) {
    var box = $('model');
    box.textContent = '';
    var report = file.report;
    if (!report) {
      box.appendChild(el('p', { class: 'unreadable', text: '无法读取此文件，未做检查。' }));
      return;
    }
    var items = [
      ['文件', file.path],
      ['标题', report.title || '（未找到标题）'],
      ['年度', report.year ? report.year + ' 年度' : '无法确定'],
      ['发布机关', report.issuer || '（标题中没有）'],
      ['格式', ERA[report.era] || report.era, report.era_evidence.length ? '依据：「' + report.era_evidence.join('」「') + '」' : ''],
      ['类型', KIND[report.kind] || report.kind, report.kind_evidence],
      ['来源', (FORMAT[report.format] || report.format) + (report.format === 'text' || report.format === 'html' ? ' · ' + report.encoding : '')]
    ];
    box.appendChild(el('dl', null, items.map(function (item) {
      // The evidence behind a judgement is long: it is the item's tooltip.
      var dd = el('dd', { text: item[1] });
      if (item[2]) dd.title = item[2];
      return el('div', null, [el('dt', { text: item[0] }), dd]);
    })));
    box.appendChild(el('p', { class: 'summary-line', text: view.summary }));
    if (view.previous) {
      var p = view.previous;
      box.appendChild(el('p', { class: 'notice', text: (p.compared ? '已与上一年度报告核对：' : '上一年度报告：') + p.describe }));
      p.notices.forEach(function (notice) { box.appendChild(el('p', { class: 'notice', text: notice })); });
    }
  }

  // Positions are (line, column), 1-based, columns in characters (code points), as in the JSON.
  function before(aLine, aCol, bLine, bCol) { return aLine < bLine || (aLine === bLine && aCol < bCol); }
  function atOrBefore(aLine, aCol, bLine, bCol) { return !before(bLine, bCol, aLine, aCol); }

  // Whether a label's span touches a cell's span (a point touches the cell it falls in).
  function touches(label, cell) {
    var s = cell.span;
    var pointLabel = label.line === label.end_line && label.column === label.end_column;
    var pointCell = s.line === s.end_line && s.column === s.end_column;
    if (pointLabel) return atOrBefore(s.line, s.column, label.line, label.column) && atOrBefore(label.line, label.column, s.end_line, s.end_column);
    if (pointCell) return atOrBefore(label.line, label.column, s.line, s.column) && before(s.line, s.column, label.end_line, label.end_column);
    return before(label.line, label.column, s.end_line, s.end_column) && before(s.line, s.column, label.end_line, label.end_column);
  }

  // Every place a finding points at in this file: {index, primary, message, severity, extraction, gap}.
  function placesOf(file) {
    var places = [];
    file.diagnostics.forEach(function (d, index) {
      d.labels.forEach(function (label) {
        if (label.path !== undefined || label.line === null) return; // another file, or nowhere
        places.push({ key: 'd' + index, label: label, primary: label.primary, message: label.message, severity: d.severity, extraction: d.origin === 'extraction' });
      });
    });
    file.not_assessable.forEach(function (gap, index) {
      if (gap.line === null) return;
      places.push({ key: 'g' + index, label: gap, primary: true, message: '无法校验：' + gap.reason, gap: true });
    });
    return places;
  }

  function markClasses(place) {
    var classes = [place.primary ? 'primary' : 'secondary'];
    if (place.gap) classes.push('gap-mark');
    else if (place.primary) classes.push(place.extraction ? 'extraction' : place.severity);
    return classes;
  }

  function drawDocument(view, file) {
    var pane = $('document');
    pane.textContent = '';
    if (view.text === null) {
      pane.appendChild(el('p', { class: 'muted', text: '没有可显示的内容。' }));
      return;
    }
    pane.appendChild(el('p', { class: 'doc-title', text: '报告原文（规范文本：每段一行，表格按行列画出；行号与命令行输出一致）' }));
    var lines = view.text.split('\n');
    var places = placesOf(file);
    var tableAt = {};
    var inTable = {};
    view.tables.forEach(function (table) {
      tableAt[table.span.line] = table;
      for (var n = table.span.line; n <= table.span.end_line; n++) inTable[n] = true;
    });
    // Places drawn on a table cell; the others are drawn on the text.
    var cellPlaces = new Map();
    var textPlaces = [];
    places.forEach(function (place) {
      var hit = false;
      view.tables.forEach(function (table) {
        if (place.label.end_line < table.span.line || place.label.line > table.span.end_line) return;
        table.rows.forEach(function (row) {
          row.cells.forEach(function (cell) {
            if (touches(place.label, cell)) {
              if (!cellPlaces.has(cell)) cellPlaces.set(cell, []);
              cellPlaces.get(cell).push(place);
              hit = true;
            }
          });
        });
      });
      if (!hit) textPlaces.push(place);
    });
    var byLine = {};
    textPlaces.forEach(function (place) {
      for (var n = place.label.line; n <= place.label.end_line; n++) {
        (byLine[n] = byLine[n] || []).push(place);
      }
    });
    var fragment = document.createDocumentFragment();
    for (var i = 0; i < lines.length; i++) {
      var number = i + 1;
      var table = tableAt[number];
      if (table) {
        fragment.appendChild(drawTable(table, cellPlaces));
      }
      if (inTable[number] && !byLine[number]) continue;
      if (inTable[number]) {
        // A place inside a table's lines but on no cell (between cells): show the line as text too.
        fragment.appendChild(drawLine(number, lines[i], byLine[number]));
        continue;
      }
      fragment.appendChild(drawLine(number, lines[i], byLine[number]));
    }
    pane.appendChild(fragment);
  }

  function drawLine(number, text, places) {
    var tx = el('span', { class: 'tx' });
    var chars = Array.from(text);
    if (!places || !places.length) {
      tx.textContent = text;
    } else {
      // Cut the line at every place's ends, then wrap each piece in the places covering it.
      var cuts = [0, chars.length];
      var spans = places.map(function (place) {
        var l = place.label;
        var start = l.line === number ? l.column - 1 : 0;
        var end = l.end_line === number ? l.end_column - 1 : chars.length;
        start = Math.max(0, Math.min(start, chars.length));
        end = Math.max(start, Math.min(end, chars.length));
        cuts.push(start, end);
        return { start: start, end: end, place: place };
      });
      cuts = Array.from(new Set(cuts)).sort(function (a, b) { return a - b; });
      for (var c = 0; c < cuts.length; c++) {
        var from = cuts[c];
        var to = c + 1 < cuts.length ? cuts[c + 1] : from;
        // Points (empty spans) at this cut.
        spans.forEach(function (span) {
          if (span.start === span.end && span.start === from) {
            tx.appendChild(markFor([span.place], '', true));
          }
        });
        if (to <= from) continue;
        var piece = chars.slice(from, to).join('');
        var covering = spans.filter(function (span) { return span.start <= from && span.end >= to && span.start < span.end; })
          .map(function (span) { return span.place; });
        tx.appendChild(covering.length ? markFor(covering, piece, false) : document.createTextNode(piece));
      }
    }
    return el('div', { class: 'line', id: 'L' + number }, [el('span', { class: 'ln', text: String(number) }), tx]);
  }

  function markFor(places, text, point) {
    var primary = places.filter(function (p) { return p.primary; });
    var shown = primary.length ? primary[0] : places[0];
    var classes = markClasses(shown);
    if (point) classes.push('point');
    var node = el('mark', { class: classes.join(' '), title: places.map(function (p) { return p.message; }).filter(Boolean).join('\n') });
    node.setAttribute('data-places', places.map(function (p) { return p.key + (p.primary ? 'p' : 's'); }).join(' '));
    node.textContent = text;
    return node;
  }

  function drawTable(table, cellPlaces) {
    var body = el('tbody');
    table.rows.forEach(function (row) {
      var tr = el('tr', { 'data-line': String(row.span.line) });
      row.cells.forEach(function (cell) {
        var attrs = {};
        if (cell.column_span > 1) attrs.colspan = String(cell.column_span);
        if (cell.row_span > 1) attrs.rowspan = String(cell.row_span);
        var td = el('td', attrs, [cell.text]);
        if (/^[-−]?[\d０-９][\d０-９,，.]*$/.test(cell.text)) td.classList.add('num');
        td.setAttribute('data-line', String(cell.span.line));
        td.setAttribute('data-column', String(cell.span.column));
        var places = cellPlaces.get(cell);
        if (places) {
          var primary = places.filter(function (p) { return p.primary; });
          var shown = primary.length ? primary[0] : places[0];
          markClasses(shown).forEach(function (c) { td.classList.add(c); });
          td.setAttribute('data-places', places.map(function (p) { return p.key + (p.primary ? 'p' : 's'); }).join(' '));
          td.title = places.map(function (p) { return p.message; }).filter(Boolean).join('\n');
        }
        tr.appendChild(td);
      });
      body.appendChild(tr);
    });
    var lineRange = table.span.line === table.span.end_line ? '第 ' + table.span.line + ' 行' : '第 ' + table.span.line + '–' + table.span.end_line + ' 行';
    return el('div', { class: 'table-wrap', id: 'L' + table.span.line }, [
      el('p', { class: 'table-caption', text: '表格（' + lineRange + '）' }),
      el('table', { class: 'doc-table' }, [body])
    ]);
  }

  // ---- The findings, grouped by the report's sections, errors first within each.
  function sectionOf(view, line) {
    if (line === null || line === undefined) return -2; // no place: about the whole file
    var found = -1; // before the first section: title and opening
    view.sections.forEach(function (section, index) { if (section.line <= line) found = index; });
    return found;
  }

  function groupTitle(view, key) {
    if (key === -2) return '整份文件';
    if (key === -1) return '标题与开头';
    return view.sections[key].title;
  }

  function drawFindings(view, file) {
    var pane = $('findings');
    pane.textContent = '';
    var groups = new Map();
    function add(key, item) {
      if (!groups.has(key)) groups.set(key, []);
      groups.get(key).push(item);
    }
    file.diagnostics.forEach(function (d, index) { add(sectionOf(view, d.line), { d: d, index: index }); });
    var gapsByGroup = new Map();
    file.not_assessable.forEach(function (gap, index) {
      var key = sectionOf(view, gap.line);
      if (!gapsByGroup.has(key)) gapsByGroup.set(key, []);
      gapsByGroup.get(key).push({ gap: gap, index: index });
      if (!groups.has(key)) groups.set(key, []);
    });
    if (!file.diagnostics.length && !file.not_assessable.length) {
      pane.appendChild(el('p', { class: 'empty-findings', text: '未发现问题。' }));
      return;
    }
    var keys = Array.from(groups.keys()).sort(function (a, b) { return a - b; });
    keys.forEach(function (key) {
      var items = groups.get(key).slice().sort(function (a, b) {
        return (SEVERITY_ORDER[a.d.severity] - SEVERITY_ORDER[b.d.severity]) || (a.index - b.index);
      });
      var gaps = gapsByGroup.get(key) || [];
      var count = items.length + gaps.length;
      var section = el('section', { class: 'group' }, [
        el('h2', null, [groupTitle(view, key), el('span', { class: 'count', text: count + ' 条' })])
      ]);
      items.forEach(function (item) { section.appendChild(findingCard(item.d, item.index, file)); });
      gaps.forEach(function (item) { section.appendChild(gapCard(item.gap, item.index)); });
      pane.appendChild(section);
    });
  }

  function findingCard(d, index, file) {
    var extraction = d.origin === 'extraction';
    var card = el('div', {
      class: 'finding ' + d.severity + (extraction ? ' extraction' : ''),
      role: 'button', tabindex: '0', id: 'finding-d' + index, 'data-key': 'd' + index, 'data-code': d.code
    });
    var head = el('div', { class: 'head' }, [
      el('span', { class: 'badge ' + d.severity, text: SEVERITY[d.severity] || d.severity }),
      extraction ? el('span', { class: 'badge reading', text: '读取问题' }) : null,
      el('span', { class: 'code', text: d.code }),
      el('span', { class: 'rule-name', text: d.name }),
      d.line !== null ? el('span', { class: 'muted', text: '第 ' + d.line + ' 行' }) : null
    ]);
    card.appendChild(head);
    card.appendChild(el('p', { class: 'message', text: d.message }));
    if (d.found !== null || d.expected !== null) {
      card.appendChild(el('p', { class: 'values', text: '报告值 ' + (d.found === null ? '—' : d.found) + ' · 计算值 ' + (d.expected === null ? '—' : d.expected) }));
    }
    d.labels.forEach(function (label) {
      if (label.path !== undefined) {
        card.appendChild(el('p', { class: 'detail', text: '上一年度报告「' + label.path + '」第 ' + label.line + ' 行：' + label.message }));
      }
    });
    d.notes.forEach(function (note) { card.appendChild(el('p', { class: 'detail', text: note })); });
    if (extraction) {
      card.appendChild(el('p', { class: 'reading-note', text: '这是本副本的读取问题，原报告可能没有错：请用原网页或原文件复核。' }));
    }
    if (d.clause) card.appendChild(el('p', { class: 'clause', text: '依据：' + d.clause }));
    var docs = el('button', { class: 'button link doc-link', type: 'button', 'data-explain': d.code, text: '规则说明（' + d.code + '）' });
    card.appendChild(docs);
    return card;
  }

  function gapCard(gap, index) {
    var card = el('div', { class: 'finding gap', role: 'button', tabindex: '0', id: 'finding-g' + index, 'data-key': 'g' + index, 'data-code': gap.code });
    card.appendChild(el('div', { class: 'head' }, [
      el('span', { class: 'badge gap', text: '无法校验' }),
      el('span', { class: 'code', text: gap.code }),
      el('span', { class: 'rule-name', text: gap.name }),
      gap.line !== null ? el('span', { class: 'muted', text: '第 ' + gap.line + ' 行' }) : null
    ]));
    card.appendChild(el('p', { class: 'message', text: gap.check }));
    card.appendChild(el('p', { class: 'detail', text: '原因：' + gap.reason }));
    if (gap.instances.length) card.appendChild(el('p', { class: 'detail', text: '涉及：' + gap.instances.join('、') }));
    card.appendChild(el('button', { class: 'button link doc-link', type: 'button', 'data-explain': gap.code, text: '规则说明（' + gap.code + '）' }));
    return card;
  }

  // Selecting a finding: mark its places as current, scroll the first primary one into view.
  function select(key) {
    document.querySelectorAll('.current').forEach(function (node) { node.classList.remove('current'); });
    document.querySelectorAll('.callout').forEach(function (node) { node.remove(); });
    var card = document.querySelector('[data-key="' + key + '"]');
    if (card) card.classList.add('current');
    var targets = document.querySelectorAll('[data-places~="' + key + 'p"], [data-places~="' + key + 's"]');
    var first = null;
    targets.forEach(function (node) {
      node.classList.add('current');
      var primary = node.getAttribute('data-places').split(' ').indexOf(key + 'p') >= 0;
      if (primary && !first) first = node;
      // The wrong cell says what the terminal says under it; the parts say it on hover.
      if (node.tagName === 'TD' && primary) {
        var message = labelMessage(key, node, primary);
        if (message) node.appendChild(el('span', { class: 'callout', text: message }));
      }
    });
    first = first || targets[0];
    if (first) first.scrollIntoView({ block: 'center', behavior: 'auto' });
    else if (card) status('这一条没有具体位置（涉及整份文件）。');
  }

  // The label message for a cell, as the terminal prints under the caret.
  function labelMessage(key, td, primary) {
    var file = state.result;
    var line = Number(td.getAttribute('data-line'));
    var labels = key.charAt(0) === 'd' ? file.diagnostics[Number(key.slice(1))].labels : [];
    for (var i = 0; i < labels.length; i++) {
      var l = labels[i];
      if (l.path === undefined && l.primary === primary && l.line <= line && l.end_line >= line && l.message) return l.message;
    }
    return '';
  }

  // ---- Rule documentation.
  function explain(code) {
    withEngine().then(function (ready) {
      return ready.engine.call({ op: 'explain', code: code }, CHECK_TIMEOUT_MS);
    }).then(function (reply) {
      var body = $('explain-body');
      body.textContent = '';
      $('explain-title').textContent = '规则说明 · ' + code;
      body.appendChild(el('pre', { text: reply.value || '没有代码为「' + code + '」的规则。' }));
      openDialog();
    }, function (reason) { status('无法显示规则说明：' + (reason && reason.error), true); });
  }

  function listRules() {
    var body = $('explain-body');
    body.textContent = '';
    $('explain-title').textContent = '全部规则';
    var rows = state.rules.map(function (rule) {
      var button = el('button', { class: 'button link', type: 'button', 'data-explain': rule.code, text: rule.code });
      return el('tr', null, [el('td', null, [button]), el('td', { class: 'rule-name', text: rule.name }),
        el('td', { text: SEVERITY[rule.severity] || rule.severity }), el('td', { text: rule.summary })]);
    });
    body.appendChild(el('table', { class: 'rule-list' }, [el('tbody', null, rows)]));
    openDialog();
  }

  function openDialog() {
    var dialog = $('explain');
    if (!dialog.open) dialog.showModal();
  }

  // ---- Saving.
  function saveJson() {
    if (!state.view) return;
    var blob = new Blob([state.view.json], { type: 'application/json' });
    var link = el('a', { href: URL.createObjectURL(blob), download: state.result.path.replace(/\.[^.]*$/, '') + '.xxgk-lint.json' });
    document.body.appendChild(link);
    link.click();
    setTimeout(function () { URL.revokeObjectURL(link.href); link.remove(); }, 1000);
  }

  // The two panes fill the window below the bars, whatever the bars' height.
  function fitPanes() {
    var panes = document.querySelector('.panes');
    if (!panes || $('result').hidden) return;
    document.documentElement.style.setProperty('--top', Math.ceil(panes.getBoundingClientRect().top + window.scrollY) + 'px');
  }

  // ---- Wiring.
  $('file').addEventListener('change', function (event) {
    var file = event.target.files && event.target.files[0];
    if (file) chooseCurrent(file);
    event.target.value = '';
  });
  $('previous').addEventListener('change', function (event) {
    var file = event.target.files && event.target.files[0];
    if (file) choosePrevious(file);
  });
  $('previous-clear').addEventListener('click', clearPrevious);
  $('save').addEventListener('click', saveJson);
  $('print').addEventListener('click', function () { window.print(); });
  $('rules').addEventListener('click', listRules);
  window.addEventListener('resize', fitPanes);

  document.addEventListener('click', function (event) {
    var docButton = event.target.closest('[data-explain]');
    if (docButton) {
      event.stopPropagation();
      explain(docButton.getAttribute('data-explain'));
      return;
    }
    var card = event.target.closest('.finding');
    if (card) select(card.getAttribute('data-key'));
  });
  document.addEventListener('keydown', function (event) {
    var card = event.target.closest && event.target.closest('.finding');
    if (card && event.target === card && (event.key === 'Enter' || event.key === ' ')) {
      event.preventDefault();
      select(card.getAttribute('data-key'));
    }
  });

  // Dropping: one file is the report; two files are the report and last year's (the older one by
  // the year in the name, else the second dropped).
  var dragDepth = 0;
  window.addEventListener('dragenter', function (event) { event.preventDefault(); dragDepth++; $('drop').hidden = false; });
  window.addEventListener('dragover', function (event) { event.preventDefault(); });
  window.addEventListener('dragleave', function () { if (--dragDepth <= 0) { dragDepth = 0; $('drop').hidden = true; } });
  window.addEventListener('drop', function (event) {
    event.preventDefault();
    dragDepth = 0;
    $('drop').hidden = true;
    var files = Array.from((event.dataTransfer && event.dataTransfer.files) || []);
    if (!files.length) return;
    if (files.length >= 2) {
      var year = function (file) { var m = file.name.match(/(19|20)\d\d/); return m ? Number(m[0]) : 0; };
      files.sort(function (a, b) { return year(b) - year(a); });
      readFile(files[1]).then(function (read) {
        state.previous = read;
        $('previous-name').textContent = '上一年度：' + read.name;
        $('previous-clear').hidden = false;
        chooseCurrent(files[0]);
      }, function (error) { status(error.message, true); });
    } else {
      chooseCurrent(files[0]);
    }
  });

  withEngine().then(function (ready) {
    state.rules = JSON.parse(ready.info.rules);
    status('检查引擎 ' + ready.info.version + ' 已就绪：请选择或拖入报告。');
    document.body.setAttribute('data-state', 'ready');
  }, function (reason) {
    status('检查引擎无法启动：' + (reason && reason.error ? reason.error : reason) + '。请使用较新版本的 Chrome、Edge、Firefox 或 360 极速浏览器。', true);
  });
})();
