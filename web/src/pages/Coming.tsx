// Placeholder for pages not built yet: says so plainly and points at what works today.

export function Coming(props: { what: string }) {
  return (
    <section class="panel" id="coming">
      <h2>Coming</h2>
      <p>
        {props.what} is coming to the dashboard. Until then, the <a href="/docs">API</a> and the <code>pi5</code> command line cover it.
      </p>
    </section>
  );
}
