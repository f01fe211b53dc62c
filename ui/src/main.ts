import "./styles.css";
import "./components/control-app.js";
