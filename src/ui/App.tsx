import { Suspense, useEffect, useState } from 'react';
import { BackendBadge } from './BackendBadge';
import { PresenterBar } from './PresenterBar';
import { PresenterCard } from './PresenterCard';
import { setPresenting, stepIndexOf, usePresenter } from './presenter';
import { SectionContext } from './currentSection';
import { pageFor } from './routes';
import { PathReturn } from './sections/start/PathReturn';
import { findSection, SECTIONS, type NavGroup } from './sectionMeta';
import { useHash } from './urlState';

const GROUPS: NavGroup[] = ['Start', 'Learn', 'Train', 'Ship'];

function Nav({ current, open }: { current: string; open: boolean }) {
  return (
    <nav aria-label="Sections" className={open ? 'nav open' : 'nav'} id="sections-nav">
      {GROUPS.map((g) => (
        <div key={g} className="nav-group">
          <h2 className="nav-group-title">{g}</h2>
          <ul>
            {SECTIONS.filter((s) => s.group === g).map((s) => (
              <li key={s.route}>
                <a href={`#/${s.route}`} aria-current={s.route === current ? 'page' : undefined}>
                  {s.title}
                </a>
              </li>
            ))}
          </ul>
        </div>
      ))}
    </nav>
  );
}

function NotFound({ route }: { route: string }) {
  return (
    <section>
      <h1>Not found</h1>
      <p>
        There is no section called <code>{route}</code>. Pick one from the list, or go to the <a href="#/">overview</a>.
      </p>
    </section>
  );
}

export function App() {
  const { route, params } = useHash();
  const section = findSection(route);
  const presenter = usePresenter();
  const presented = presenter.on ? presenter.steps[stepIndexOf(presenter.steps, route, params.toString())] : undefined;
  const card = presented?.card !== undefined ? presented : undefined;
  // On a phone the sections are a menu; it closes once a section is picked.
  const [menuAt, setMenuAt] = useState<string | null>(null);
  const menuOpen = menuAt === route;

  useEffect(() => {
    document.documentElement.classList.toggle('present', presenter.on);
  }, [presenter.on]);

  useEffect(() => {
    document.title = section ? `${section.title} · lowrank` : 'lowrank';
  }, [section]);

  const Body = pageFor(route);
  return (
    <div className="shell">
      <header className="header">
        <a className="brand" href="#/">
          <span aria-hidden="true" className="brand-mark" />
          lowrank
        </a>
        <span className="tagline">LoRA, learned and trained in your browser. Nothing leaves your machine.</span>
        <BackendBadge />
        <button
          className="menu-toggle"
          aria-expanded={menuOpen}
          aria-controls="sections-nav"
          onClick={() => setMenuAt(menuOpen ? null : route)}
        >
          Menu
        </button>
        <button className="present-toggle" aria-pressed={presenter.on} onClick={() => setPresenting(!presenter.on)}>
          Present
        </button>
      </header>
      <Nav current={route} open={menuOpen} />
      <main className="main" id="main">
        {!presenter.on && <PathReturn />}
        <Suspense fallback={<p role="status">Loading section…</p>}>
          {card ? (
            <PresenterCard step={card} />
          ) : section && Body ? (
            <SectionContext.Provider value={section}>
              <Body />
            </SectionContext.Provider>
          ) : (
            <NotFound route={route} />
          )}
        </Suspense>
      </main>
      {presenter.on && <PresenterBar />}
    </div>
  );
}
