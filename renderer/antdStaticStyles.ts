import type { Plugin } from 'vite';
import { ANTD_STYLED_COMPONENTS } from './antdStyleComponents.ts';

// antd writes its components' CSS at run time (CSS-in-JS): on the desk's first render that was
// the largest single cost of start-up (see bench/RESULTS.md). This Vite plugin writes the same
// CSS at build time instead — every component the desk uses, rendered once on the server with
// the desk's theme — as the module `virtual:antd-styles.css`; the page then runs antd with
// `zeroRuntime` (renderer/src/app/theme.ts). Theme tokens stay CSS variables set at run time.

const MODULE_ID = 'virtual:antd-styles.css';

/** Renders each antd component the renderer uses (and the pop-ups' panels) and collects the CSS. */
async function extractAntdStyles(): Promise<string> {
  const [{ createElement: h }, { renderToString }, cssinjs, antd, { deskTheme }] = await Promise.all([
    import('react'),
    import('react-dom/server'),
    import('@ant-design/cssinjs'),
    import('antd'),
    import('./src/app/theme.ts'),
  ]);
  type Panel = { _InternalPanelDoNotUseOrYouWillBeFired: React.ComponentType };
  const panel = (component: unknown) => h((component as Panel)._InternalPanelDoNotUseOrYouWillBeFired);
  // What to render so that all of a component's CSS registers; by default the bare component.
  const samples: Partial<Record<(typeof ANTD_STYLED_COMPONENTS)[number], () => React.ReactNode[]>> = {
    // Wrap everything below (App also brings message and notification, used through it).
    App: () => [panel(antd.message), panel(antd.notification)],
    ConfigProvider: () => [],
    Input: () => [h(antd.Input, { allowClear: true, prefix: ' ' }), h(antd.Input.TextArea)],
    // Pop-ups render nothing until open; their static panels register the same styles.
    Modal: () => [panel(antd.Modal)],
    Popover: () => [panel(antd.Popover)],
    Tooltip: () => [panel(antd.Tooltip)],
    Skeleton: () => [h(antd.Skeleton, { active: true })],
    // Preset and status colours are sub-styles, registered by the first tag that uses one.
    Tag: () => [h(antd.Tag), h(antd.Tag, { color: 'blue' }), h(antd.Tag, { color: 'success' })],
    // Counts and status dots are sub-styles of their own.
    Badge: () => [h(antd.Badge, { count: 1 }), h(antd.Badge, { status: 'success', text: ' ' })],
    Form: () => [h(antd.Form, null, h(antd.Form.Item, { label: ' ' }, h(antd.Input)))],
    Table: () => [
      h(antd.Table, { columns: [{ title: ' ', dataIndex: 'a' }], dataSource: [{ key: 1, a: ' ' }] }),
    ],
    Tabs: () => [h(antd.Tabs, { items: [{ key: 'a', label: ' ', children: ' ' }] })],
  };
  const components = antd as unknown as Record<string, React.ComponentType>;
  const elements = ANTD_STYLED_COMPONENTS.flatMap(
    (name) => samples[name]?.() ?? [h(components[name] as React.ComponentType)],
  );
  const cache = cssinjs.createCache();
  renderToString(
    h(
      cssinjs.StyleProvider,
      { cache },
      h(antd.ConfigProvider, { theme: deskTheme }, h(antd.App, null, ...elements)),
    ),
  );
  return cssinjs.extractStyle(cache, { plain: true, types: ['style'] });
}

export function antdStaticStyles(): Plugin {
  return {
    name: 'desk:antd-static-styles',
    resolveId: (id) => (id === MODULE_ID ? MODULE_ID : null),
    load: async (id) => (id === MODULE_ID ? extractAntdStyles() : null),
  };
}
