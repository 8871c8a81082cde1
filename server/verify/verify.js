// The public verify page: a PDF dropped or chosen is sent to POST /verify, an id typed (or taken
// from the address the QR code opened, /verify/<id>) to GET /verify/<id>; the answer is shown as
// it comes (the hub masks personal data). No framework, no inline script (strict CSP).
'use strict';

(function () {
  var RULES = {
    arrival_on_consent: '受送达人同意电子送达并确认送达地址，以送达信息到达其特定系统之日为送达日期',
    reply_or_confirm: '以受送达人回复或确认收悉之日为送达日期',
    presumed_on_read: '受送达人已打开并通过身份验证（已阅知），推定送达（可被推翻）',
    not_sent: '尚未发送',
    undelivered: '各渠道均未送达',
    sent_before_consent: '发送早于受送达人同意，待受送达人确认',
    awaiting_arrival: '已发送，待回执',
    awaiting_reply: '待受送达人回复或阅知',
  };
  var BASIS = { confirmed: '确认送达', presumed: '推定送达', none: '未生效' };
  var CHECKS = {
    filed: '中心归档',
    same_pdf: '与归档文件一致',
    facts: '凭证所载事实',
    documents: '送达文书',
    consent_recording: '同意录音',
    address_confirmation: '送达地址确认书',
    messages: '送达信息',
    arrival: '到达回执',
    portal_events: '阅知与确认',
    effect: '送达效力',
  };
  var REASONS = {
    not_filed: '本中心没有归档该凭证',
    not_the_filed_proof: '与中心归档的盖章凭证不是同一文件',
    facts_differ: '凭证所载事实与中心记录不一致',
  };
  var SEAL_REASONS = {
    not_sealed: '凭证未盖章',
    altered: '盖章后内容被改动',
    appended: '盖章后文件被追加或另存',
    untrusted: '印章证书不受信任',
    bad_signature: '印章签名无效',
  };

  var result = document.getElementById('result');

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      node.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) {
      node.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
    });
    return node;
  }

  /** An instant on the court's clock (Beijing time), as the proof prints it. */
  function courtTime(iso) {
    if (!iso) return '—';
    var d = new Date(new Date(iso).getTime() + 8 * 3600 * 1000);
    var p = function (n) {
      return String(n).padStart(2, '0');
    };
    return (
      d.getUTCFullYear() +
      '-' +
      p(d.getUTCMonth() + 1) +
      '-' +
      p(d.getUTCDate()) +
      ' ' +
      p(d.getUTCHours()) +
      ':' +
      p(d.getUTCMinutes()) +
      ':' +
      p(d.getUTCSeconds()) +
      '（北京时间）'
    );
  }

  function show(nodes) {
    result.replaceChildren.apply(result, nodes);
  }

  function showError(text) {
    show([el('div', { class: 'card unknown' }, [el('p', { class: 'error' }, [text])])]);
  }

  function render(report) {
    var verdictText =
      report.verdict === 'valid'
        ? '✓ 核验通过'
        : report.verdict === 'unknown'
          ? '未找到该凭证'
          : '✗ 核验未通过';
    var rows = [];
    function row(label, value, mono) {
      rows.push(el('dt', {}, [label]), el('dd', mono ? { class: 'mono' } : {}, [value]));
    }
    if (report.proofId) row('凭证编号', report.proofId, true);
    if (report.court) row('送达法院', report.court);
    if (report.caseNumber) row('案号', report.caseNumber);
    if (report.seal) {
      row(
        '电子印章',
        report.seal.ok
          ? report.seal.signer + '，盖章时间 ' + courtTime(report.seal.signedAt)
          : (SEAL_REASONS[report.seal.reason] || report.seal.reason) + '：' + report.seal.message,
      );
    }
    if (report.rule) {
      row('送达日期', report.serviceDate ? courtTime(report.serviceDate) : '—');
      row('效力', BASIS[report.basis] || report.basis || '—');
      row('适用规则', RULES[report.rule] || report.rule);
    }
    if (report.proofSha256) row('归档凭证 SHA-256', report.proofSha256, true);
    var facts = report.facts.map(function (f) {
      return el('li', { class: f.matches ? 'yes' : 'no' }, [(CHECKS[f.check] || f.check) + '：' + f.detail]);
    });
    show([
      el('div', { class: 'card ' + report.verdict, id: 'verdict' }, [
        el('p', { class: 'verdict' }, [verdictText]),
        el('p', {}, [
          report.verdict === 'valid'
            ? report.message
            : (SEAL_REASONS[report.reason] || REASONS[report.reason] || report.reason) +
              '。' +
              report.message,
        ]),
        el('dl', {}, rows),
      ]),
      facts.length
        ? el('div', { class: 'card' }, [
            el('h2', {}, ['逐项核对中心记录']),
            el('ul', { class: 'facts' }, facts),
          ])
        : el('span', {}, []),
    ]);
  }

  function answer(response) {
    return response.json().then(function (body) {
      if (!response.ok)
        throw new Error((body && body.error && body.error.message) || '核验失败（' + response.status + '）');
      render(body);
    });
  }

  function checkId(id) {
    id = id.trim();
    if (!/^[A-Za-z0-9-]{8,64}$/.test(id)) return showError('凭证编号由字母、数字和“-”组成（8–64 位）');
    show([el('p', { class: 'muted' }, ['正在核验…'])]);
    fetch('/verify/' + encodeURIComponent(id), { headers: { accept: 'application/json' } })
      .then(answer)
      .catch(function (e) {
        showError(e.message);
      });
  }

  function checkFile(file) {
    if (!file) return;
    show([el('p', { class: 'muted' }, ['正在核验 ' + file.name + '…'])]);
    fetch('/verify', {
      method: 'POST',
      headers: { 'content-type': 'application/pdf', accept: 'application/json' },
      body: file,
    })
      .then(answer)
      .catch(function (e) {
        showError(e.message);
      });
  }

  var input = document.getElementById('file');
  input.addEventListener('change', function () {
    checkFile(input.files && input.files[0]);
  });
  var drop = document.getElementById('drop');
  ['dragenter', 'dragover'].forEach(function (type) {
    drop.addEventListener(type, function (e) {
      e.preventDefault();
      drop.classList.add('over');
    });
  });
  ['dragleave', 'drop'].forEach(function (type) {
    drop.addEventListener(type, function () {
      drop.classList.remove('over');
    });
  });
  drop.addEventListener('drop', function (e) {
    e.preventDefault();
    checkFile(e.dataTransfer && e.dataTransfer.files[0]);
  });
  var idInput = document.getElementById('proof-id');
  document.getElementById('by-id').addEventListener('submit', function (e) {
    e.preventDefault();
    checkId(idInput.value);
  });

  // Opened from the QR code: /verify/<id>.
  var fromPath = /^\/verify\/([A-Za-z0-9-]{8,64})$/.exec(location.pathname);
  if (fromPath) {
    idInput.value = decodeURIComponent(fromPath[1]);
    checkId(idInput.value);
  }
})();
