import { useEffect } from 'react';
import { OpenLibraryView } from '../features/open-library/OpenLibraryView';
import { Sidebar } from '../shell/Sidebar';
import { StatusBar } from '../shell/StatusBar';
import { useLibrary } from './library-state';
import { useMenuNavigation } from './use-menu-navigation';
import { useRoute } from './use-route';
import { OPEN_VIEW, VIEWS } from './views';

export function App(props: { version: string }) {
  const { library } = useLibrary();
  const [route, go] = useRoute(library === null ? OPEN_VIEW : 'library');
  const view = VIEWS.find((v) => v.id === route);
  const showOpen = library === null || view === undefined;
  useMenuNavigation(go);

  useEffect(() => {
    // The first data (app info and the open library) is loaded before <App> mounts: from here on
    // the UI is usable, which tests wait for instead of sleeping.
    document.body.dataset.ready = 'true';
  }, []);

  return (
    <div className="shell">
      <Sidebar
        views={VIEWS}
        current={showOpen ? OPEN_VIEW : route}
        libraryOpen={library !== null}
        onNavigate={go}
        onSwitchLibrary={() => go(OPEN_VIEW)}
      />
      <main className="main" id="main" data-view={showOpen ? OPEN_VIEW : route}>
        {showOpen ? (
          <OpenLibraryView onOpened={() => go('library')} />
        ) : (
          <div key={`${library.dir}:${route}`} className="view-host">
            {view.render()}
          </div>
        )}
      </main>
      <StatusBar version={props.version} />
    </div>
  );
}
