using System.Runtime.InteropServices;

namespace BitCurrent.Matching.Internal;

/// <summary>
/// One order slot of the engine-wide pool: 136 bytes. The fields the matching loop and the queue links use
/// (ids, quantities, price, links, the small enums) fill the first 64 bytes; the rest is read on placement,
/// cancellation and expiry. Hidden iceberg quantity is <c>QuantityLots - FilledLots - VisibleLots</c>.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal struct Order
{
    // First 64 bytes: hot.
    public long OrderId;
    public long UserId;
    public long VisibleLots;
    public long FilledLots;
    public long QuantityLots;
    public long PriceTicks;
    public int Prev;
    public int Next;
    public Side Side;
    public OrderType Type;
    public TimeInForce TimeInForce;
    public SelfTradePrevention SelfTradePrevention;
    public OrderState State;
    public bool PostOnly;
    public bool Registered;

    // Colder: placement, indexes, expiry.
    public long ClientOrderId;
    public long DisplayLots;
    public long QuoteAmount;
    public long StopPriceTicks;
    public long ExpireAt;
    public long AcceptSeq;
    public int Level;
    public int Book;
    public int User;
    public int UserPrev;
    public int UserNext;
    public int HeapIndex;

    public readonly long RemainingLots => QuantityLots - FilledLots;

    public readonly long HiddenLots => QuantityLots - FilledLots - VisibleLots;

    public readonly bool IsStop => Type is OrderType.StopMarket or OrderType.StopLimit;
}

/// <summary>One price level: a FIFO queue of orders (doubly linked through the order slots). 32 bytes.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct Level
{
    public long PriceTicks;
    public long TotalLots;
    public int Head;
    public int Tail;
    public int Count;
    public int NextFree;
}

/// <summary>A user: the list of the user's open orders, oldest first. 24 bytes.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct UserSlot
{
    public long UserId;
    public int Head;
    public int Tail;
    public int OpenOrders;
}

/// <summary>The per-symbol state: four ladders (bids, asks, buy stops, sell stops) and counters.</summary>
internal sealed class Book
{
    public Book(Instrument instrument, int index, int levelsMax)
    {
        Instrument = instrument;
        Index = index;
        SymbolId = instrument.SymbolId;
        QuoteMinorPerTickLot = instrument.QuoteMinorPerTickLot;
        PriceTicksMin = instrument.PriceTicksMin;
        PriceTicksMax = instrument.PriceTicksMax;
        QuantityLotsMin = instrument.QuantityLotsMin;
        QuantityLotsMax = instrument.QuantityLotsMax;
        NotionalMin = instrument.NotionalMin;
        Bids = new Ladder(levelsMax, descending: false);
        Asks = new Ladder(levelsMax, descending: true);
        BuyStops = new Ladder(levelsMax, descending: true);
        SellStops = new Ladder(levelsMax, descending: false);
    }

    public Instrument Instrument { get; }
    public int Index { get; }
    public int SymbolId { get; }
    public long QuoteMinorPerTickLot { get; }
    public long PriceTicksMin { get; }
    public long PriceTicksMax { get; }
    public long QuantityLotsMin { get; }
    public long QuantityLotsMax { get; }
    public long NotionalMin { get; }
    public Ladder Bids { get; }
    public Ladder Asks { get; }
    public Ladder BuyStops { get; }
    public Ladder SellStops { get; }
    public int OrderCount;
    public long LastTradePrice;
    public long UpdateId;

    public Ladder Resting(Side side) => side == Side.Buy ? Bids : Asks;

    public Ladder Opposite(Side side) => side == Side.Buy ? Asks : Bids;

    public Ladder Stops(Side side) => side == Side.Buy ? BuyStops : SellStops;
}
