// The recipient's portal (no framework: the first load stays a few kB). Served by the hub with a
// strict CSP: no inline script or style, requests to the hub only. The link's token is read from
// the address and sent in request bodies; the verified session lives in memory only.
'use strict';

(function portal() {
  const main = document.getElementById('main');
  const token = decodeURIComponent(location.pathname.split('/').pop() || '');
  let session = null;
  let hotline = '12368';

  const RULES = {
    arrival_on_consent: '您已同意电子送达并确认了送达地址：送达日期为文书到达您的手机或邮箱系统之日。',
    reply_or_confirm: '送达日期为您在本页面确认签收（或签名）之日。',
    presumed_on_read: '系统记录您已打开并查阅文书：推定送达日期为查阅之日（有相反证据的除外）。',
  };
  const STATES = {
    expired: '此链接已过期。',
    revoked: '此链接已被撤销。',
    unknown: '此链接无效。',
    locked: '验证失败次数过多，此链接已锁定。',
  };

  /** An element with attributes and children (text or elements). */
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (key === 'on') for (const [event, fn] of Object.entries(value)) node.addEventListener(event, fn);
      else if (value !== null && value !== undefined && value !== false) node.setAttribute(key, value);
    }
    for (const child of children.flat()) {
      if (child !== null && child !== undefined) node.append(child);
    }
    return node;
  }
  const card = (cls, ...children) => el('section', { class: `card ${cls || ''}` }, ...children);
  const show = (...cards) => main.replaceChildren(...cards);
  const dateText = (iso) =>
    new Intl.DateTimeFormat('zh-CN', {
      timeZone: 'Asia/Shanghai',
      dateStyle: 'long',
      timeStyle: 'short',
    }).format(new Date(iso));
  /** Says a failure in a card's status line. */
  const sayError = (message, text) => {
    message.className = 'error';
    message.textContent = text;
  };
  const hotlineLink = () => el('a', { class: 'button', href: `tel:${hotline}` }, `拨打法院电话 ${hotline}`);

  async function api(method, path, body) {
    const headers = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (session) headers['x-portal-session'] = session;
    const response = await fetch(`/portal/api/${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'omit',
    });
    const data = await response.json().catch(() => null);
    if (!response.ok) {
      const error = new Error((data && data.error && data.error.message) || `HTTP ${response.status}`);
      error.status = response.status;
      error.details = data && data.error && data.error.details;
      throw error;
    }
    return data;
  }

  function refused(state, court) {
    show(
      card(
        'warn',
        el('h2', {}, STATES[state] || '无法打开此链接。'),
        court ? el('p', {}, `送达法院：${court}`) : null,
        el('p', {}, '如需查看或重新获取文书，请拨打法院的官方电话。'),
        hotlineLink(),
      ),
    );
  }

  function courtCard(opened) {
    return card(
      '',
      el('h2', {}, opened.court),
      el('p', {}, '官方电话：', el('a', { href: `tel:${opened.hotline}` }, opened.hotline)),
      el('p', { class: 'muted' }, '核验码（应与送达专员电话中告知的一致）：'),
      el(
        'p',
        { class: 'code', 'aria-label': `核验码 ${opened.checkCode.split('').join(' ')}` },
        opened.checkCode,
      ),
      el(
        'p',
        { class: 'muted' },
        '核验码不一致，或有人索要钱款、银行卡信息的，均非本院所为，请拨打上述官方电话核实。',
      ),
    );
  }

  function identityCard(opened) {
    const { method, phoneMasked } = opened.identity;
    const message = el('p', { role: 'status' });
    const input = el('input', {
      id: 'code',
      type: 'text',
      inputmode: method === 'otp' ? 'numeric' : 'text',
      autocomplete: 'one-time-code',
      maxlength: method === 'otp' ? '6' : '4',
      'aria-describedby': 'code-help',
    });
    const help = el(
      'p',
      { id: 'code-help', class: 'muted' },
      method === 'otp' ? `验证码将发送至 ${phoneMasked || '您的手机'}` : '请输入您身份证号码的后4位',
    );
    const sendButton =
      method === 'otp'
        ? el(
            'button',
            {
              type: 'button',
              on: {
                click: async () => {
                  try {
                    const sent = await api('POST', 'otp', { token });
                    message.className = '';
                    message.textContent = `验证码已发送至 ${sent.phoneMasked}`;
                  } catch (error) {
                    sayError(message, `发送失败：${error.message}`);
                  }
                },
              },
            },
            '获取验证码',
          )
        : null;
    const verifyButton = el(
      'button',
      {
        type: 'button',
        class: 'primary',
        on: {
          click: async () => {
            try {
              const answer = await api('POST', 'verify', { token, code: input.value });
              if (answer.verified) {
                session = answer.session;
                await showCase();
              } else if (answer.state === 'locked') {
                refused('locked', opened.court);
              } else {
                sayError(message, `验证码不正确，还可尝试 ${answer.attemptsLeft} 次。`);
              }
            } catch (error) {
              if (error.details && error.details.state) refused(error.details.state, opened.court);
              else sayError(message, error.message);
            }
          },
        },
      },
      '验证身份',
    );
    return card(
      '',
      el('h2', {}, '身份验证'),
      el('label', { for: 'code' }, method === 'otp' ? '短信验证码' : '身份证号码后4位'),
      input,
      help,
      sendButton,
      verifyButton,
      message,
    );
  }

  /** A signature pad: answers the PNG's base64, or null when nothing was drawn. */
  function signaturePad(label) {
    const canvas = el('canvas', { class: 'sign', role: 'img', 'aria-label': label, tabindex: '0' });
    let drawn = false;
    let last = null;
    const point = (event) => {
      const box = canvas.getBoundingClientRect();
      return [
        ((event.clientX - box.left) * canvas.width) / box.width,
        ((event.clientY - box.top) * canvas.height) / box.height,
      ];
    };
    const resize = () => {
      canvas.width = canvas.clientWidth * 2 || 600;
      canvas.height = canvas.clientHeight * 2 || 300;
    };
    canvas.addEventListener('pointerdown', (event) => {
      if (!canvas.width || canvas.width === 300) resize();
      canvas.setPointerCapture(event.pointerId);
      last = point(event);
    });
    canvas.addEventListener('pointermove', (event) => {
      if (!last) return;
      const ctx = canvas.getContext('2d');
      const next = point(event);
      ctx.lineWidth = 5;
      ctx.lineCap = 'round';
      ctx.strokeStyle = '#000';
      ctx.beginPath();
      ctx.moveTo(last[0], last[1]);
      ctx.lineTo(next[0], next[1]);
      ctx.stroke();
      last = next;
      drawn = true;
    });
    const end = () => {
      last = null;
    };
    canvas.addEventListener('pointerup', end);
    canvas.addEventListener('pointercancel', end);
    const clear = el(
      'button',
      {
        type: 'button',
        on: {
          click: () => {
            canvas.getContext('2d').clearRect(0, 0, canvas.width, canvas.height);
            drawn = false;
          },
        },
      },
      '清除签名',
    );
    return {
      node: el('div', {}, el('p', { class: 'muted' }, label), canvas, clear),
      png: () => (drawn ? canvas.toDataURL('image/png').split(',')[1] : null),
    };
  }

  async function fetchDocument(doc, mode) {
    const response = await fetch(`/portal/api/documents/${doc.sha256}?mode=${mode}`, {
      headers: { 'x-portal-session': session },
      credentials: 'omit',
    });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    return URL.createObjectURL(await response.blob());
  }

  function documentsCard(data) {
    const viewer = el('div', { id: 'viewer' });
    const items = data.documents.map((doc) =>
      el(
        'li',
        {},
        el('strong', {}, `《${doc.title}》`),
        doc.paperCopyOnRequest ? el('p', { class: 'muted' }, '此文书可向法院申请领取纸质件。') : null,
        el(
          'div',
          {},
          el(
            'button',
            {
              type: 'button',
              on: {
                click: async () => {
                  const url = await fetchDocument(doc, 'view');
                  // The browser's own PDF viewer, loaded only when a document is opened.
                  viewer.replaceChildren(
                    el('iframe', { class: 'viewer', src: url, title: `文书：${doc.title}` }),
                    el(
                      'a',
                      { href: url, target: '_blank', rel: 'noopener', class: 'button' },
                      '在新窗口打开',
                    ),
                  );
                },
              },
            },
            '查看',
          ),
          el(
            'button',
            {
              type: 'button',
              on: {
                click: async () => {
                  const url = await fetchDocument(doc, 'download');
                  const link = el('a', { href: url, download: `${doc.title}.pdf` });
                  document.body.append(link);
                  link.click();
                  link.remove();
                },
              },
            },
            '下载',
          ),
        ),
      ),
    );
    return card('', el('h2', {}, '送达文书'), el('ul', { class: 'docs' }, items), viewer);
  }

  /** A button that sends one step to the hub, then shows the case again; a failure is said in `message`. */
  function stepButton(label, attrs, message, send) {
    const click = async () => {
      try {
        await send();
        await showCase();
      } catch (error) {
        sayError(message, error.message);
      }
    };
    return el('button', { type: 'button', ...attrs, on: { click } }, label);
  }

  function addressCard(data) {
    if (data.addressConfirmation.signed) {
      return card('ok', el('h2', {}, '送达地址确认书'), el('p', {}, '您已签署送达地址确认书。'));
    }
    const pad = signaturePad('请在此处手写签名（送达地址确认书）');
    const message = el('p', { role: 'status' });
    return card(
      '',
      el('h2', {}, '送达地址确认书'),
      el('pre', { class: 'text' }, data.addressConfirmation.text),
      pad.node,
      stepButton('同意并签署确认书', {}, message, async () => {
        const png = pad.png();
        if (!png) throw new Error('请先签名。');
        await api('POST', 'address-confirmation', { agreed: true, signaturePng: png });
      }),
      message,
    );
  }

  function effectCard(effect) {
    if (!effect.effective) return card('', el('h2', {}, '送达状态'), el('p', {}, '送达尚未生效。'));
    return card(
      'ok',
      el('h2', {}, '送达已生效'),
      el('p', { id: 'service-date' }, `送达日期：${dateText(effect.serviceDate)}`),
      el('p', {}, RULES[effect.rule] || ''),
      effect.paperCopyOnRequest.offered
        ? el('p', { class: 'muted' }, `可申请领取纸质文书：${effect.paperCopyOnRequest.documents.join('、')}`)
        : null,
    );
  }

  function confirmCard(data) {
    if (data.confirmed) return effectCard(data.effect);
    const pad = signaturePad('手写签名（可选）');
    const message = el('p', { role: 'status' });
    return card(
      '',
      el('h2', {}, '确认签收'),
      el('p', {}, '确认您已收到并查阅上述文书。'),
      pad.node,
      stepButton('确认签收', { class: 'primary' }, message, () =>
        api('POST', 'confirm', { signaturePng: pad.png() }),
      ),
      message,
    );
  }

  async function showCase() {
    const data = await api('GET', 'case');
    hotline = data.hotline;
    show(
      card(
        '',
        el('h2', {}, data.court),
        el(
          'dl',
          {},
          el('dt', {}, '案号'),
          el('dd', {}, data.caseNumber),
          el('dt', {}, '案由'),
          el('dd', {}, data.cause || '—'),
          el('dt', {}, '受送达人'),
          el('dd', {}, data.partyName),
        ),
        el('p', {}, '官方电话：', el('a', { href: `tel:${data.hotline}` }, data.hotline)),
      ),
      documentsCard(data),
      confirmCard(data),
      addressCard(data),
    );
  }

  async function start() {
    try {
      const opened = await api('POST', 'open', { token });
      hotline = opened.hotline;
      if (opened.state !== 'ok') return refused(opened.state, opened.court);
      show(courtCard(opened), identityCard(opened));
    } catch (error) {
      show(card('warn', el('h2', {}, '无法打开此链接'), el('p', {}, error.message), hotlineLink()));
    }
  }

  start();
})();
