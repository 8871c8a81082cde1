// A minimal application menu built from Electron's roles, labelled in Chinese or English.
import { app, Menu, type MenuItemConstructorOptions } from 'electron';

const LABELS = {
  'zh-CN': {
    app: '送达工作台',
    file: '文件',
    edit: '编辑',
    view: '视图',
    window: '窗口',
    about: '关于送达工作台',
    hide: '隐藏送达工作台',
    hideOthers: '隐藏其他',
    unhide: '全部显示',
    quit: '退出',
    close: '关闭窗口',
    undo: '撤销',
    redo: '重做',
    cut: '剪切',
    copy: '复制',
    paste: '粘贴',
    selectAll: '全选',
    reload: '重新加载',
    devTools: '开发者工具',
    resetZoom: '实际大小',
    zoomIn: '放大',
    zoomOut: '缩小',
    fullscreen: '全屏',
    minimize: '最小化',
  },
  en: {
    app: 'Delivery Desk',
    file: 'File',
    edit: 'Edit',
    view: 'View',
    window: 'Window',
    about: 'About Delivery Desk',
    hide: 'Hide Delivery Desk',
    hideOthers: 'Hide Others',
    unhide: 'Show All',
    quit: 'Quit',
    close: 'Close Window',
    undo: 'Undo',
    redo: 'Redo',
    cut: 'Cut',
    copy: 'Copy',
    paste: 'Paste',
    selectAll: 'Select All',
    reload: 'Reload',
    devTools: 'Developer Tools',
    resetZoom: 'Actual Size',
    zoomIn: 'Zoom In',
    zoomOut: 'Zoom Out',
    fullscreen: 'Full Screen',
    minimize: 'Minimize',
  },
} as const;

export type MenuLocale = keyof typeof LABELS;

/** Chinese unless the system asks for another language; the desk's users are Chinese-speaking. */
export function menuLocale(systemLocale: string): MenuLocale {
  return /^(zh|$)/i.test(systemLocale) ? 'zh-CN' : 'en';
}

export function buildAppMenu(locale: MenuLocale, withDevTools: boolean): Menu {
  const t = LABELS[locale];
  const isMac = process.platform === 'darwin';
  const template: MenuItemConstructorOptions[] = [];
  if (isMac) {
    template.push({
      label: t.app,
      submenu: [
        { role: 'about', label: t.about },
        { type: 'separator' },
        { role: 'hide', label: t.hide },
        { role: 'hideOthers', label: t.hideOthers },
        { role: 'unhide', label: t.unhide },
        { type: 'separator' },
        { role: 'quit', label: t.quit },
      ],
    });
  } else {
    template.push({ label: t.file, submenu: [{ role: 'quit', label: t.quit }] });
  }
  template.push({
    label: t.edit,
    submenu: [
      { role: 'undo', label: t.undo },
      { role: 'redo', label: t.redo },
      { type: 'separator' },
      { role: 'cut', label: t.cut },
      { role: 'copy', label: t.copy },
      { role: 'paste', label: t.paste },
      { role: 'selectAll', label: t.selectAll },
    ],
  });
  template.push({
    label: t.view,
    submenu: [
      { role: 'reload', label: t.reload },
      ...(withDevTools ? [{ role: 'toggleDevTools', label: t.devTools } as const] : []),
      { type: 'separator' },
      { role: 'resetZoom', label: t.resetZoom },
      { role: 'zoomIn', label: t.zoomIn },
      { role: 'zoomOut', label: t.zoomOut },
      { type: 'separator' },
      { role: 'togglefullscreen', label: t.fullscreen },
    ],
  });
  template.push({
    label: t.window,
    submenu: [
      { role: 'minimize', label: t.minimize },
      { role: 'close', label: t.close },
    ],
  });
  return Menu.buildFromTemplate(template);
}

export function installAppMenu(): void {
  Menu.setApplicationMenu(buildAppMenu(menuLocale(app.getLocale()), !app.isPackaged));
}
