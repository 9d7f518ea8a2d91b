export default function Home() {
  return <main>Capability Registry</main>;
}
