import type { Plugin } from 'vite';

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
  const { Alert, App, Button, Card, ConfigProvider, Input, Popover, Result, Skeleton, Spin, Tag } = antd;
  // Pop-ups render nothing until open; their static panels register the same styles.
  type Panel = { _InternalPanelDoNotUseOrYouWillBeFired: React.ComponentType };
  const panels = [antd.Modal, antd.Tooltip, antd.Popover, antd.message, antd.notification].map(
    (component, i) => h((component as unknown as Panel)._InternalPanelDoNotUseOrYouWillBeFired, { key: i }),
  );
  const cache = cssinjs.createCache();
  renderToString(
    h(
      cssinjs.StyleProvider,
      { cache },
      h(
        ConfigProvider,
        { theme: deskTheme },
        h(
          App,
          null,
          h(Alert),
          h(Button),
          h(Card),
          h(Input, { allowClear: true, prefix: ' ' }),
          h(Input.TextArea),
          h(Popover),
          h(Result),
          h(Skeleton, { active: true }),
          h(Spin),
          h(Tag),
          // Preset and status colours are sub-styles, registered by the first tag that uses one.
          h(Tag, { color: 'blue' }),
          h(Tag, { color: 'success' }),
          ...panels,
        ),
      ),
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
