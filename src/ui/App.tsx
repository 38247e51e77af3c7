export function App() {
  return (
    <main>
      <h1>podhop</h1>
      <p>Kubernetes pod networking playground — the canvas arrives with the playground issue</p>
    </main>
  );
}
