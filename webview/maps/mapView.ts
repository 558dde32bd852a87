// One Leaflet map in a container: the offline background, a layer group for the caller's data, and fitting the view
// to the data — again when the container first gets a size (cards and tabs are laid out after the map is made)
// unless the user has moved the map since.
import type * as Leaflet from 'leaflet';
import { addBackground } from './background';
import { boundsOf, type LatLng } from './coords';
import { loadLeaflet, type LeafletApi } from './leaflet';
import { mapTileUrl } from './settings';

export interface MapViewOptions {
  /** Accessible name of the map ("Pickup point: map"). */
  label: string;
  /** Ids of elements describing the map (instructions, the field's description). */
  describedBy?: string;
  /** Where an empty map looks (tool.json `default_center` / `default_zoom`). */
  center?: LatLng | null;
  zoom?: number | null;
}

export interface FitFallback {
  center?: LatLng | null;
  zoom?: number | null;
}

interface FitTarget {
  points: LatLng[];
  fallback: FitFallback;
}

/** A world view that leaves out the empty polar strips of the Mercator projection. */
const WORLD: [[number, number], [number, number]] = [
  [-58, -170],
  [78, 170],
];
const SINGLE_POINT_ZOOM = 10;
const MAX_FIT_ZOOM = 16;
/** More features than this are drawn on a canvas (SVG slows down with tens of thousands of nodes). */
const CANVAS_THRESHOLD = 1000;

function canvasWorks(): boolean {
  try {
    return document.createElement('canvas').getContext('2d') !== null;
  } catch {
    return false;
  }
}

export class MapView {
  /** The caller's layers; cleared and redrawn on every update. */
  readonly layers: Leaflet.FeatureGroup;
  private target: FitTarget | undefined;
  private userMoved = false;
  private lastSize = '';
  private observer: ResizeObserver | undefined;
  private svgRenderer: Leaflet.Renderer | undefined;
  private canvasRenderer: Leaflet.Renderer | undefined;

  private constructor(
    readonly L: LeafletApi,
    readonly map: Leaflet.Map,
    readonly container: HTMLElement,
    private readonly options: MapViewOptions,
  ) {
    this.layers = L.featureGroup().addTo(map);
  }

  static async create(container: HTMLElement, options: MapViewOptions): Promise<MapView> {
    const L = await loadLeaflet();
    const tiles = mapTileUrl();
    const map = L.map(container, {
      attributionControl: false,
      // Size changes are followed with a ResizeObserver; Leaflet's own window listener would outlive the card.
      trackResize: false,
      // Without tiles fractional zoom costs nothing and fits data more tightly.
      zoomSnap: tiles ? 1 : 0.25,
      maxZoom: tiles ? 19 : 18,
      worldCopyJump: false,
    });
    container.setAttribute('role', 'region');
    container.setAttribute('aria-roledescription', 'map');
    container.setAttribute('aria-label', options.label);
    if (options.describedBy) container.setAttribute('aria-describedby', options.describedBy);
    addBackground(L, map, tiles);
    L.control.scale({ imperial: false, position: 'bottomleft' }).addTo(map);
    const view = new MapView(L, map, container, options);
    view.watchUser();
    view.watchSize();
    view.fitTo([], {}, true);
    return view;
  }

  /** A renderer for `count` features: a shared canvas for many (where the page can draw on one), else SVG. */
  renderer(count: number): Leaflet.Renderer {
    if (count > CANVAS_THRESHOLD && canvasWorks()) return (this.canvasRenderer ??= this.L.canvas({ padding: 0.5 }));
    return (this.svgRenderer ??= this.L.svg({ padding: 0.5 }));
  }

  /**
   * Shows `points` (all of them, padded), one point at a close zoom, or with no points the fallback centre/zoom or
   * the world. Unless `force`, a view the user has moved is left alone (streamed updates must not yank it back).
   */
  fitTo(points: readonly LatLng[], fallback: FitFallback = {}, force = false): void {
    this.target = { points: [...points], fallback };
    if (force) this.userMoved = false;
    if (!this.userMoved) this.apply(this.target);
  }

  /** Moves the view to include a point the user typed, if it is out of sight. */
  reveal(point: LatLng): void {
    if (!this.map.getBounds().contains([point.lat, point.lng])) this.map.panTo([point.lat, point.lng], { animate: false });
  }

  destroy(): void {
    this.observer?.disconnect();
    this.map.remove();
  }

  private apply(target: FitTarget): void {
    const map = this.map;
    const { points, fallback } = target;
    const box = boundsOf(points);
    const center = fallback.center ?? this.options.center ?? null;
    const zoom = fallback.zoom ?? this.options.zoom ?? null;
    if (!box) {
      if (center) map.setView([center.lat, center.lng], zoom ?? SINGLE_POINT_ZOOM, { animate: false });
      else if (zoom !== null) map.setView([20, 0], zoom, { animate: false });
      else map.fitBounds(WORLD, { animate: false });
      return;
    }
    if (box.north - box.south < 1e-9 && box.east - box.west < 1e-9) {
      map.setView([box.south, box.west], zoom ?? SINGLE_POINT_ZOOM, { animate: false });
      return;
    }
    map.fitBounds(
      [
        [box.south, box.west],
        [box.north, box.east],
      ],
      { padding: [24, 24], maxZoom: MAX_FIT_ZOOM, animate: false },
    );
  }

  private watchUser(): void {
    // Any direct handling of the map (drag, wheel, keys, the zoom buttons) means the user owns the view now.
    const owned = (): void => {
      this.userMoved = true;
    };
    for (const type of ['pointerdown', 'wheel', 'touchstart']) this.container.addEventListener(type, owned, { passive: true });
    this.container.addEventListener('keydown', (event) => {
      if (event.target === this.container && /^(Arrow|\+|-|=|_)/.test(event.key)) owned();
    });
  }

  private watchSize(): void {
    if (typeof ResizeObserver !== 'function') return;
    this.observer = new ResizeObserver(() => {
      const size = `${this.container.clientWidth}x${this.container.clientHeight}`;
      if (size === this.lastSize) return;
      this.lastSize = size;
      if (this.container.clientWidth === 0 || this.container.clientHeight === 0) return;
      this.map.invalidateSize({ animate: false });
      if (this.target && !this.userMoved) this.apply(this.target);
    });
    this.observer.observe(this.container);
  }
}
